"""models/ as a cache keyed by the training inputs: `make train` calls rasa train only when needed.

Rasa 3.6 re-packages a new model on every `rasa train`, even when nothing changed. Instead we
hash the files training reads and record the hashes next to each model we train
(`<model>.inputs.json`). With the newest model's record equal to the current hashes, the
model is reused and rasa is not called at all.

Two groups of inputs, because Rasa cannot see every change itself: it fingerprints the spaCy
pipeline by its path and custom components by their config only, so a change under bot/nlp or
bot/rasa_ext (or in the pinned packages) needs `rasa train --force`. A change in the data,
domain or config only needs `rasa train`, which retrains just the parts that changed.

    .venv/bin/python -m bot.model_cache    # what `make train` runs, from the project root
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

# Inputs Rasa cannot fingerprint: a change forces a full retrain.
CODE = ("bot/nlp", "bot/rasa_ext", "constraints.txt")
# Inputs Rasa fingerprints itself.
DATA = ("config.yml", "domain.yml", "data")
KEEP = 3  # models kept in models/, newest first
RECORD_SUFFIX = ".inputs.json"


def fingerprint(root: Path) -> dict[str, str]:
    """A hash of each input group: file paths and contents, without Python caches."""
    return {"code": _digest(root, CODE), "data": _digest(root, DATA)}


def _digest(root: Path, entries: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for entry in entries:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() if file.is_file() else b"(missing)")
            digest.update(b"\0")
    return digest.hexdigest()


def models(folder: Path) -> list[Path]:
    """Trained models in the folder, newest last (as Rasa and the tests pick them)."""
    return sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)


def record_path(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + RECORD_SUFFIX)


def recorded(model: Path) -> dict[str, str] | None:
    """The input hashes recorded for a model, or None when there is no readable record."""
    try:
        return json.loads(record_path(model).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def record(model: Path, inputs: dict[str, str]) -> None:
    record_path(model).write_text(json.dumps(inputs, indent=1) + "\n", encoding="utf-8")


def plan(folder: Path, inputs: dict[str, str]) -> str:
    """"reuse" the newest model, "train" (Rasa sees the change) or "force" a full retrain."""
    trained = models(folder)
    previous = recorded(trained[-1]) if trained else None
    if previous == inputs:
        return "reuse"
    if previous is None or previous.get("code") != inputs["code"]:
        return "force"
    return "train"


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` models and every record without its model."""
    trained = models(folder)
    removed = trained[: max(len(trained) - keep, 0)]
    for model in removed:
        model.unlink()
    kept = {record_path(model) for model in models(folder)}
    removed += [r for r in folder.glob("*" + RECORD_SUFFIX) if r not in kept]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project root")
    parser.add_argument("--keep", type=int, default=KEEP, help="models to keep in models/")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    folder = root / "models"
    folder.mkdir(exist_ok=True)
    inputs = fingerprint(root)
    step = plan(folder, inputs)
    if step == "reuse":
        print(f"{models(folder)[-1].relative_to(root)} is up to date: inputs unchanged.")
        return 0
    command = [sys.executable, "-m", "rasa", "train", "--out", str(folder)]
    if step == "force":
        command.append("--force")
    print(" ".join(["rasa", *command[3:]]), flush=True)
    result = subprocess.run(command, cwd=root)
    if result.returncode != 0:
        return result.returncode
    record(models(folder)[-1], inputs)
    for path in prune(folder, args.keep):
        print(f"removed {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
