"""Parcel carriers: the Commerce API codes and the names buyers type for them.

The one source of truth for carrier names: the names buyers are shown, the entity patterns
and data/nlu/carriers.yml (generated, see `synonyms_yaml`) all read this table.
A space inside an alias means "with or without a space here" (CJ 대한통운 / CJ대한통운).
A generic word after a name that is an alias by itself is written without a space
(우체국택배): in "우체국 택배" only "우체국" is the entity, as annotators mark it.
"""

from __future__ import annotations

import re

# code -> aliases. Latin letters match in any case. Bare words that are also common
# Korean words (대신 "instead", 호남 the region, 천일, 일양, 건영) only count with a
# carrier word after them.
CARRIER_ALIASES: dict[str, tuple[str, ...]] = {
    "CJGLS": (
        "CJ 대한통운택배",
        "CJ 대한통운",
        "대한통운택배",
        "대한통운",
        "CJ택배",
        "CJ 로지스틱스",
        "CJ Logistics",
        "CJ GLS",
        "씨제이 대한통운",
        "씨제이택배",
        "씨제이",
        "CJ",
    ),
    "HYUNDAI": ("롯데택배", "롯데 글로벌 로지스", "롯데 로지스틱스", "롯데", "현대택배", "Lotte"),
    "HANJIN": ("한진택배", "한진", "Hanjin"),
    "KGB": ("로젠택배", "로젠", "Logen", "KGB택배"),
    "EPOST": ("우체국택배", "우체국소포", "우체국", "Korea Post", "EPOST"),
    "CVSNET": (
        "GS 편의점택배",
        "GS25 편의점택배",
        "GS 편의점",
        "GS25 편의점",
        "GS 반값택배",
        "GS25 반값택배",
        "GS택배",
        "GS25택배",
        "GS 포스트박스",
        "GS Postbox",
        "CVSnet",
    ),
    "CUPARCEL": (
        "CU 편의점택배",
        "CU 편의점",
        "CU택배",
        "CU 알뜰택배",
        "씨유 편의점택배",
        "씨유 편의점",
        "씨유택배",
        "CU Post",
        "CUparcel",
    ),
    "KDEXP": ("경동택배", "경동화물", "경동물류", "경동", "KDEXP"),
    "DAESIN": ("대신 택배", "대신 화물", "대신 물류", "DAESIN"),
    "ILYANG": ("일양 로지스", "일양 택배", "ILYANG"),
    "CHUNIL": ("천일 택배", "천일 화물", "천일 정기 화물", "CHUNIL"),
    "HONAM": ("호남 택배", "호남 물류", "HONAM"),
    "KUNYOUNG": ("건영 택배", "건영 화물", "KUNYOUNG"),
}

# code -> the name shown to buyers (bot/present.carrier_name); each is one of its aliases
# (tests/nlp/test_carriers.py checks), so names and patterns cannot drift apart.
CARRIER_NAMES: dict[str, str] = {
    "CJGLS": "CJ대한통운",
    "HYUNDAI": "롯데택배",
    "HANJIN": "한진택배",
    "KGB": "로젠택배",
    "EPOST": "우체국택배",
    "CVSNET": "GS편의점택배",
    "CUPARCEL": "CU편의점택배",
    "KDEXP": "경동택배",
    "DAESIN": "대신택배",
    "ILYANG": "일양로지스",
    "CHUNIL": "천일택배",
    "HONAM": "호남택배",
    "KUNYOUNG": "건영택배",
}

# Aliases that are also the start of other names: 롯데마트, 롯데월드, CJ ONE, 우체국 은행 ...
_NOT_AFTER = {
    "롯데": ("마트", "월드", "백화점", "리아", "온", "호텔", "카드", "시네마", "몰", "홈쇼핑"),
    "우체국": ("보험", "은행", "예금", "쇼핑", "에 가", "에가", "에 직접", "가서", "창구"),
    "CJ": ("ONE", "원", "제일제당", "몰", "오쇼핑", "온스타일"),
    "씨제이": ("원",),
}


def variants(alias: str) -> list[str]:
    """Every spelling of an alias: each space present or absent (2**spaces forms)."""
    parts = alias.split(" ")
    forms = [parts[0]]
    for part in parts[1:]:
        forms = [f"{form}{sep}{part}" for form in forms for sep in ("", " ")]
    return forms


def alias_table() -> dict[str, str]:
    """Lower-cased spelling -> carrier code, every spelling of every alias."""
    table: dict[str, str] = {}
    for code, aliases in CARRIER_ALIASES.items():
        for alias in (code, *aliases):
            for form in variants(alias):
                table[form.lower()] = code
    return table


def _alias_regex(alias: str) -> str:
    body = r"\s?".join(re.escape(part) for part in alias.split(" "))
    blocked = _NOT_AFTER.get(alias)
    if blocked:
        body += "(?!\\s?(?:" + "|".join(re.escape(word) for word in blocked) + "))"
    # Latin names must not sit inside a longer Latin word (CU in CUT, GS in GSM).
    if alias[:1].isascii():
        body = "(?<![A-Za-z])" + body
    if alias[-1:].isascii():
        body += "(?![A-Za-z])"
    return body


def carrier_regex() -> re.Pattern[str]:
    """All aliases, longest first so that 'CJ대한통운' wins over 'CJ'."""
    aliases = {alias for code, names in CARRIER_ALIASES.items() for alias in (code, *names)}
    ordered = sorted(aliases, key=len, reverse=True)
    return re.compile("|".join(_alias_regex(alias) for alias in ordered), re.IGNORECASE)


def synonyms_yaml() -> str:
    """The text of data/nlu/carriers.yml: one synonym block per carrier code."""
    lines = [
        "# Generated from bot/nlp/carriers.py (tests/nlp/test_carriers.py checks it);",
        "# edit the table there, then run: .venv/bin/python -m bot.nlp.carriers",
        'version: "3.1"',
        "nlu:",
    ]
    for code, aliases in CARRIER_ALIASES.items():
        forms: list[str] = []
        seen = {code.lower()}  # Rasa maps a synonym's own name to itself already
        for alias in aliases:
            for form in variants(alias):
                if form.lower() not in seen:
                    seen.add(form.lower())
                    forms.append(form)
        lines += [f"- synonym: {code}", "  examples: |"]
        lines += [f"    - {form}" for form in forms]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "data" / "nlu" / "carriers.yml"
    target.write_text(synonyms_yaml(), encoding="utf-8")
    print(f"wrote {target}")
