"""The first pipeline component: what the NLU may read of a message, for every channel.

* **Slash commands.** Rasa turns any message starting with `/` into a ready-made intent
  (its RegexMessageHandler runs after the pipeline, on the text the pipeline leaves), so a
  typed `/restart` or `/provide_order_id{...}` would drive the dialogue engine. Only the
  button payloads the assistant offers keep their slash; anything else loses it and is read
  as ordinary words (bot/security/commands.py). Being part of the model, this holds for the
  REST and widget channels, `rasa shell` and any messenger channel alike.
* **Digits.** Full-width and other compatibility digits become ASCII (one character for one),
  so `３１０５` is read like `3105` and the ASCII-only entity rules find it.
* **Length.** Tokenizing and counting n-grams take time that grows with the length (about
  1 s for 20,000 characters on our CPUs), and a DIETClassifier, if one is in the pipeline,
  needs memory and time that grow with the square of the token count: at most `max_chars`
  are analysed, the beginning (often the order number) and the end (often the actual
  question); entity offsets past the cut refer to the shortened text. Channels answer
  messages over `security.max_message_chars` without the NLU at all (bot/channels/guard.py).

Only the analysed copy changes: Rasa stores the message as sent (and the tracker store
redacts it: bot/rasa_ext/tracker_store.py).

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

from bot.nlp.digits import fold_digits
from bot.security.commands import as_plain_text, offered_payloads

SEPARATOR = " … "


def shorten(text: str, max_chars: int) -> str:
    """`text` if it is short enough, else its first 60% and last 40% within `max_chars`."""
    if len(text) <= max_chars:
        return text
    room = max_chars - len(SEPARATOR)
    head = room * 3 // 5
    return text[:head] + SEPARATOR + text[len(text) - (room - head) :]


def analysed_text(text: str, max_chars: int, offered: frozenset[str]) -> str:
    return shorten(fold_digits(as_plain_text(text, offered)), max_chars)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MessageLengthCap(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_chars": 1000}

    def __init__(self, config: dict[str, Any]) -> None:
        self.max_chars = int({**self.get_default_config(), **config}["max_chars"])
        if self.max_chars < 2 * len(SEPARATOR):
            raise ValueError("MessageLengthCap: max_chars is too small")
        self.offered = offered_payloads()

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
                message.set(TEXT, analysed_text(text, self.max_chars, self.offered))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
