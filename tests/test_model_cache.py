"""models/ as a cache keyed by the training inputs (bot/model_cache.py), on real files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.model_cache import fingerprint, models, plan, prune, record, record_path, recorded

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal project: every kind of training input, and an empty models/."""
    files = {
        "config.yml": "language: ko\n",
        "domain.yml": "intents: [greet]\n",
        "data/nlu/greet.yml": "nlu: []\n",
        "data/rules/rules.yml": "rules: []\n",
        "bot/nlp/ko_pipeline/config.cfg": "[nlp]\n",
        "bot/nlp/patterns.py": "PATTERNS = []\n",
        "bot/rasa_ext/linear_intent.py": "C = 1.0\n",
        "constraints.txt": "rasa==3.6.21\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "models").mkdir()
    return tmp_path


def _model(folder: Path, name: str, age_seconds: float = 0) -> Path:
    """A stand-in model file, `age_seconds` older than now."""
    path = folder / f"{name}.tar.gz"
    path.write_bytes(b"model")
    moment = path.stat().st_mtime - age_seconds
    os.utime(path, (moment, moment))
    return path


def _edit(project: Path, name: str) -> None:
    path = project / name
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def test_fingerprint_is_stable_and_ignores_python_caches(project):
    before = fingerprint(project)
    cache = project / "bot" / "rasa_ext" / "__pycache__"
    cache.mkdir()
    (cache / "linear_intent.cpython-310.pyc").write_bytes(b"\x00compiled")
    assert fingerprint(project) == before


@pytest.mark.parametrize(
    ("changed", "group"),
    [
        ("config.yml", "data"),
        ("domain.yml", "data"),
        ("data/nlu/greet.yml", "data"),
        ("bot/nlp/ko_pipeline/config.cfg", "code"),
        ("bot/rasa_ext/linear_intent.py", "code"),
        ("constraints.txt", "code"),
    ],
)
def test_an_edit_changes_its_group_only(project, changed, group):
    before = fingerprint(project)
    _edit(project, changed)
    after = fingerprint(project)
    assert {name for name in before if before[name] != after[name]} == {group}


def test_a_new_or_renamed_file_changes_the_fingerprint(project):
    before = fingerprint(project)
    (project / "data" / "nlu" / "thank.yml").write_text("nlu: []\n", encoding="utf-8")
    added = fingerprint(project)
    assert added["data"] != before["data"]
    (project / "data" / "nlu" / "thank.yml").rename(project / "data" / "nlu" / "thanks.yml")
    assert fingerprint(project)["data"] != added["data"]


def test_without_a_recorded_model_training_is_forced(project):
    folder = project / "models"
    inputs = fingerprint(project)
    assert plan(folder, inputs) == "force"
    _model(folder, "20260101-000000-unrecorded")
    assert plan(folder, inputs) == "force"
    record_path(folder / "20260101-000000-unrecorded.tar.gz").write_text("{not json")
    assert plan(folder, inputs) == "force"


def test_unchanged_inputs_reuse_the_newest_model(project):
    folder = project / "models"
    model = _model(folder, "20260101-000000-first")
    record(model, fingerprint(project))
    assert recorded(model) == fingerprint(project)
    assert plan(folder, fingerprint(project)) == "reuse"


def test_changed_data_trains_and_changed_code_forces(project):
    folder = project / "models"
    record(_model(folder, "20260101-000000-first"), fingerprint(project))
    _edit(project, "data/rules/rules.yml")
    assert plan(folder, fingerprint(project)) == "train"
    _edit(project, "bot/nlp/patterns.py")
    assert plan(folder, fingerprint(project)) == "force"


def test_only_the_newest_models_record_counts(project):
    folder = project / "models"
    record(_model(folder, "20260101-000000-old", age_seconds=60), fingerprint(project))
    _model(folder, "20260101-000100-new")  # trained outside `make train`: no record
    assert plan(folder, fingerprint(project)) == "force"


def test_prune_keeps_the_newest_models_with_their_records(project):
    folder = project / "models"
    trained = [_model(folder, f"2026010{i}-000000-m{i}", age_seconds=100 - i) for i in range(5)]
    for model in trained:
        record(model, fingerprint(project))
    record_path(folder / "gone.tar.gz").write_text("{}")  # a record whose model is gone

    removed = prune(folder, keep=3)

    assert models(folder) == trained[2:]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [m.name for m in trained[2:]] + [record_path(m).name for m in trained[2:]]
    )
    orphan = folder / "gone.inputs.json"
    assert set(removed) == {*trained[:2], *map(record_path, trained[:2]), orphan}
    assert prune(folder, keep=3) == []


def test_make_train_with_nothing_changed_does_not_call_rasa(project):
    model = _model(project / "models", "20260101-000000-first")
    record(model, fingerprint(project))
    result = subprocess.run(
        [sys.executable, "-m", "bot.model_cache", "--root", str(project)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert models(project / "models") == [model]
