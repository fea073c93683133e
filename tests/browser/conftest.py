"""Headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) for widget tests."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support.stack import ARTIFACTS, find_model

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 30_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    # Keep each phase's report on the item so the page fixture can see a failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return find_model()


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="widget-chromium-"))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 360, "height": 740},
            locale="ko-KR",
            timeout=60_000,
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context, request: pytest.FixtureRequest):
    """A fresh tab (so a fresh sessionStorage); records dialogs; screenshot on failure."""
    tab = browser_context.new_page()
    tab.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog) -> None:
        tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=10_000)
        except Exception as error:  # a crashed tab must not hide the test's own failure
            print(f"screenshot failed: {error}")
    tab.close()
