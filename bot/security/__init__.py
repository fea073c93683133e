"""Ownership, secrets and privacy: what keeps an order visible to its owner only."""
