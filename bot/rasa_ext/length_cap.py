"""Bound the text the NLU pipeline analyses, so one huge message cannot stall the assistant.

Rasa's REST and messenger channels accept messages of many megabytes. Tokenizing and counting
n-grams take time that grows with the length (about 1 s for 20,000 characters on our CPUs), and
a DIETClassifier, if one is in the pipeline, needs memory and time that grow with the square of
the token count: a 100,000-character message is about 30,000 tokens. Only the analysed copy
is shortened: Rasa stores the buyer's message in the conversation as sent. Long messages keep
their beginning (often the order number) and their end (often the actual question); entity
offsets past the cut refer to the shortened text.

config.yml, first in the pipeline:
    - name: bot.rasa_ext.length_cap.MessageLengthCap
      max_chars: 1000
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

SEPARATOR = " … "


def shorten(text: str, max_chars: int) -> str:
    """`text` if it is short enough, else its first 60% and last 40% within `max_chars`."""
    if len(text) <= max_chars:
        return text
    room = max_chars - len(SEPARATOR)
    head = room * 3 // 5
    return text[:head] + SEPARATOR + text[len(text) - (room - head) :]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MessageLengthCap(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_chars": 1000}

    def __init__(self, config: dict[str, Any]) -> None:
        self.max_chars = int({**self.get_default_config(), **config}["max_chars"])
        if self.max_chars < 2 * len(SEPARATOR):
            raise ValueError("MessageLengthCap: max_chars is too small")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageLengthCap:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, shorten(text, self.max_chars))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
