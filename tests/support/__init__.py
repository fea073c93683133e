"""Helpers shared by the end-to-end, channel and browser tests."""
