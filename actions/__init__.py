"""Rasa SDK actions: thin glue from the tracker to bot.policy/bot.replies and back."""
