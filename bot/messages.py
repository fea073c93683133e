"""The buyer-facing Korean said by actions: bot/messages.yml, rendered with a reply's values.

Python code names messages, labels and buttons by English identifiers; the Korean is
only in the YAML file.
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_PATH = Path(__file__).with_name("messages.yml")


@cache
def _file() -> dict[str, Any]:
    return yaml.safe_load(MESSAGES_PATH.read_text(encoding="utf-8"))


def button_titles() -> dict[str, str]:
    """intent -> the title of a button that sends it: the one table of button titles."""
    return dict(_file()["buttons"])


def button(intent: str) -> dict[str, str]:
    return {"title": _file()["buttons"][intent], "payload": f"/{intent}"}


def label(kind: str, key: str) -> str:
    """A noun phrase by its identifier: label("stages", "preparing") -> 배송준비중."""
    return _file()["labels"][kind][key]


def labels(kind: str) -> dict[str, str]:
    return dict(_file()["labels"][kind])


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """name -> {"text", "buttons": [{"title", "payload"}], "defaults"}, buttons resolved."""
    return {
        name: {**message, "buttons": [button(intent) for intent in message.get("buttons", [])]}
        for name, message in _file()["messages"].items()
    }


def placeholders(name: str) -> set[str]:
    text = _PARTICLE.sub(r"{\1}\2", catalogue()[name]["text"])
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


# How a final digit reads in Korean, and whether that reading ends in a consonant (받침).
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ",
                "7": "ㄹ", "8": "ㄹ", "9": ""}
_JONGSEONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
# {x}[A/B], also past a closing quote: '{x}'[A/B]
_PARTICLE = re.compile(r"\{(\w+)\}(['\"]?)\[([^/\]]*)/([^\]]*)\]")


def final_consonant(word: str) -> str:
    """The 받침 the word ends with when read aloud ('' for none); brackets are skipped."""
    stripped = re.sub(r"\([^)]*\)$", "", word.strip()).rstrip(" '\")")
    if not stripped:
        return ""
    last = stripped[-1]
    if last.isdigit():
        return _DIGIT_FINAL[last]
    if "가" <= last <= "힣":
        return _JONGSEONG[(ord(last) - ord("가")) % 28].strip()
    return ""


def particle(word: str, with_final: str, without_final: str) -> str:
    """Pick the particle form: {x}[이/가], [을/를], [이에요/예요], [으로/로] ..."""
    final = final_consonant(word)
    if with_final.startswith("으") and final == "ㄹ":
        return without_final  # 서울로, not 서울으로
    return with_final if final else without_final


def render(name: str, values: dict[str, str] | None = None) -> dict[str, Any]:
    """{"text": ..., "buttons": [...]} for message `name`; a missing value is an error.

    A value the order lacks takes the message's default (itself filled with the values,
    so a default can quote a setting instead of repeating it).
    """
    message = catalogue()[name]
    values = dict(values or {})
    for key, default in (message.get("defaults") or {}).items():
        if key not in values:
            values[key] = str(default).format(**values)
    missing = placeholders(name) - set(values)
    if missing:
        raise KeyError(f"message {name!r} needs values {sorted(missing)}")
    text = _PARTICLE.sub(
        lambda m: f"{{{m.group(1)}}}{m.group(2)}"
        + particle(values[m.group(1)], m.group(3), m.group(4)),
        message["text"],
    )
    return {
        "text": text.format(**values),
        "buttons": [dict(button) for button in message["buttons"]],
    }
