"""Buyer questions: the registry (registry.py), answers by topic (cancel, shipping, returns,
handoff) and the pieces they share (shared.py). Answers return message names + values."""
