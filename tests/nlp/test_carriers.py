from __future__ import annotations

from pathlib import Path

import yaml

from bot.nlp.carriers import CARRIER_ALIASES, alias_table, synonyms_yaml, variants

CARRIERS_YML = Path(__file__).resolve().parents[2] / "data" / "nlu" / "carriers.yml"
CODES = {
    "CJGLS", "HYUNDAI", "HANJIN", "KGB", "EPOST", "CVSNET", "CUPARCEL",
    "KDEXP", "DAESIN", "ILYANG", "CHUNIL", "HONAM", "KUNYOUNG",
}


def test_every_commerce_api_code_has_aliases():
    assert set(CARRIER_ALIASES) == CODES
    assert all(CARRIER_ALIASES[code] for code in CODES)


def test_no_spelling_points_to_two_carriers():
    seen: dict[str, str] = {}
    for code, aliases in CARRIER_ALIASES.items():
        for alias in aliases:
            for form in variants(alias):
                assert seen.setdefault(form.lower(), code) == code, form


def test_variants_cover_each_optional_space():
    assert sorted(variants("CJ 대한통운 택배")) == sorted(
        ["CJ대한통운택배", "CJ대한통운 택배", "CJ 대한통운택배", "CJ 대한통운 택배"]
    )


def test_carriers_yml_is_generated_from_the_table():
    assert CARRIERS_YML.read_text(encoding="utf-8") == synonyms_yaml(), (
        "data/nlu/carriers.yml is stale: run .venv/bin/python -m bot.nlp.carriers"
    )


def test_carriers_yml_maps_every_spelling_to_its_code():
    data = yaml.safe_load(CARRIERS_YML.read_text(encoding="utf-8"))
    mapped = {}
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            mapped[line.removeprefix("- ").lower()] = block["synonym"]
    table = alias_table()
    # Every spelling but the bare codes (Rasa maps a synonym's own name to itself).
    assert mapped == {form: code for form, code in table.items() if form != code.lower()}
