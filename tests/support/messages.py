"""Which message a reply is: tests name what the buyer got, not the Korean that says it.

A reply's text is matched against every message of bot/messages.yml (and the responses
domain.yml utters directly); `identify` returns the message's name and the values it was
filled with, and only when rendering that message with those values gives the text back.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import yaml

from bot.messages import catalogue, render
from tests.support.paths import PROJECT_ROOT


class Heard(NamedTuple):
    name: str
    values: dict[str, str]


@cache
def domain_responses() -> dict[str, list[str]]:
    """utter_* name -> its texts, from domain.yml."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {name: [variant["text"] for variant in variants if "text" in variant]
            for name, variants in domain["responses"].items()}


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """The text of message `name` as a regex: one named group per placeholder."""
    template = catalogue()[name]["text"]
    seen: set[str] = set()
    parts: list[str] = []
    position = 0
    for match in re.finditer(r"\{(\w+)\}(['\"]?)(?:\[([^/\]]*)/([^\]]*)\])?", template):
        parts.append(re.escape(template[position:match.start()]))
        field = match.group(1)
        # Of two placeholders only a space apart ({fee_basis} {fee}) the second is one word.
        greedy = re.match(r"\s+\{", template[match.end():]) is not None
        parts.append(f"(?P={field})" if field in seen
                     else f"(?P<{field}>.+)" if greedy else f"(?P<{field}>.+?)")
        seen.add(field)
        parts.append(re.escape(match.group(2)))  # a closing quote before the particle
        if match.group(3) is not None:
            parts.append(f"(?:{re.escape(match.group(3))}|{re.escape(match.group(4))})")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def identify(text: str) -> Heard | None:
    """The message `text` is, or None; a text two messages fit is an error."""
    for name, texts in domain_responses().items():
        if text in texts:
            return Heard(name, {})
    fits = []
    for name in catalogue():
        match = _pattern(name).fullmatch(text)
        if match and render(name, match.groupdict())["text"] == text:
            fits.append(Heard(name, match.groupdict()))
    if len(fits) > 1:
        raise AssertionError(f"{text!r} fits several messages: {[f.name for f in fits]}")
    return fits[0] if fits else None


def heard(replies: list[dict]) -> list[Heard]:
    """Each text reply as (message name, values); an unknown text is named '?' with it."""
    found = []
    for reply in replies:
        text = reply.get("text")
        if text:
            found.append(identify(text) or Heard("?", {"text": text}))
    return found
