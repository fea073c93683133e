"""Where the tests find the project's files."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The demo orders as of tests.support.clock.FIXED_NOW
# (python -m bot.orders export-demo --now FIXED_NOW_TEXT; tests/orders/test_demo.py checks it).
FIXTURE_ORDERS = PROJECT_ROOT / "tests" / "fixtures" / "orders.json"
# The committed Korean spaCy pipeline.
KO_PIPELINE = PROJECT_ROOT / "bot" / "nlp" / "ko_pipeline"
