"""Extensions of Rasa itself (not the assistant's domain logic)."""
