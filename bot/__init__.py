"""SmartStore buyer-support assistant: the importable core (no Rasa SDK imports here)."""
