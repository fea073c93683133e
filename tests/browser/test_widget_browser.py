"""The chat widget in headless Chromium against a real `rasa run` + action server.

Every wait is bounded. A failing test leaves a screenshot in var/test-artifacts/.
UPDATE_DOCS_SCREENSHOT=1 also writes docs/widget.png (the README's picture) from the
conversation test.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.security.redact import redact_text
from tests.support.clock import FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS, PROJECT_ROOT
from tests.support.stack import ARTIFACTS, Stack, running_stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# ---- The conversation the tests hold: the demo orders of tests/fixtures/orders.json at
# FIXED_NOW_TEXT (the same data as tests/e2e). Keep in step with the trained assistant's
# answers. ----
QUESTION = ("취소 요청했는데 왜 거부된 거예요?", "16자리")  # (buyer types, snippet of the answer)
VERIFICATION = [
    ("2026 1125 0000 0004", "끝 4자리"),
    ("1004", "오전 9시 40분"),  # the refusal explained with the order's own dates
]
QUICK_REPLY = ("꼭 받아야 하나요?", "꼭 받아야 하는 건 아니에요")  # (button title, answer snippet)
FOLLOW_UP = ("고마워요", "천만에요")
# --------------------------------------------------------------------------------------------

XSS = "<img src=x onerror=alert(1)>"
REPLY_TIMEOUT_MS = 60_000
RECONNECT_TIMEOUT_MS = 60_000

OFFLINE_TEXT = "연결이 끊겼어요. 다시 연결하는 중…"
RECONNECTED_TEXT = "다시 연결됐어요."


class Chat:
    """What a buyer sees and does in the widget."""

    def __init__(self, page: Page, stack: Stack) -> None:
        self.page = page
        self.stack = stack
        self.input = page.get_by_label("메시지 입력")
        self.send_button = page.get_by_role("button", name="보내기")
        self.log = page.locator(".ssw-log")
        self.status = page.locator(".ssw-status")

    def open(self) -> Chat:
        self.page.goto(self.stack.widget_url)
        self.wait_online()
        self.watch()
        return self

    def watch(self) -> None:
        """Record every status text and whether the typing indicator was ever shown."""
        self.page.evaluate(
            """() => {
              window.__statuses = [];
              window.__typingSeen = false;
              const status = document.querySelector('.ssw-status');
              const typing = document.querySelector('.ssw-typing');
              new MutationObserver(() => window.__statuses.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
              new MutationObserver(() => { if (!typing.hidden) window.__typingSeen = true; })
                .observe(typing, {attributes: true});
            }"""
        )

    def wait_online(self, timeout: float = 30_000) -> None:
        expect(self.input).to_be_enabled(timeout=timeout)

    def bubbles(self) -> list[tuple[str, str]]:
        """(who, text) of every message in the log, top to bottom."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('.ssw-log .ssw-msg')].map(li => [
                 li.classList.contains('ssw-user') ? 'user' : 'bot',
                 (li.querySelector('.ssw-bubble') || {}).textContent || ''])"""
        )

    def bot_count(self) -> int:
        return self.page.locator(".ssw-log .ssw-bot").count()

    def say(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def turn(self, text: str, snippet: str) -> None:
        """Type, send, and wait for the answer; the user's bubble shows exactly what was typed."""
        self.say(text)
        expect(self.page.locator(".ssw-log .ssw-user .ssw-bubble").last).to_have_text(text)
        self.expect_bot(snippet)

    def expect_bot(self, snippet: str) -> None:
        expect(
            self.page.locator(".ssw-log .ssw-bot .ssw-bubble").filter(has_text=snippet).last
        ).to_be_visible(timeout=REPLY_TIMEOUT_MS)

    def expect_new_bot_message(self, before: int) -> None:
        expect(self.page.locator(".ssw-log .ssw-bot")).not_to_have_count(
            before, timeout=REPLY_TIMEOUT_MS
        )

    def session_id(self) -> str:
        return self.page.evaluate(
            """() => JSON.parse(sessionStorage.getItem(
                 'smartstore-widget:' + location.origin)).sessionId"""
        )

    def user_texts_in_tracker(self) -> list[str]:
        events = self.stack.tracker(self.session_id())["events"]
        return [e["text"] for e in events if e["event"] == "user"]


def save_docs_screenshot(page: Page) -> None:
    """docs/widget.png: the verified answer with its quick replies, on a roomier screen."""
    small = page.viewport_size
    page.set_viewport_size({"width": 480, "height": 840})
    try:
        page.evaluate(
            """() => { const log = document.querySelector('.ssw-log');
                       const users = log.querySelectorAll('.ssw-user');
                       log.scrollTop = users[users.length - 1].offsetTop - log.offsetTop - 8;
                       window.scrollTo(0, 0); }"""
        )
        (PROJECT_ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(PROJECT_ROOT / "docs" / "widget.png"))
    finally:
        page.set_viewport_size(small)


@pytest.fixture(scope="module")
def browser_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("browser-stack"), trained_model, orders_file=FIXTURE_ORDERS,
        now=FIXED_NOW_TEXT
    ) as stack:
        yield stack


@pytest.fixture
def chat(page: Page, browser_stack: Stack) -> Chat:
    return Chat(page, browser_stack).open()


def test_question_answer_quick_reply_and_reload(chat: Chat) -> None:
    page = chat.page
    expect(page.locator("html")).to_have_attribute("lang", "ko")

    chat.turn(*QUESTION)
    assert page.evaluate("window.__typingSeen"), "typing indicator never showed"
    expect(page.locator(".ssw-typing")).to_be_hidden()
    for text, snippet in VERIFICATION:
        chat.turn(text, snippet)
    if os.environ.get("UPDATE_DOCS_SCREENSHOT") == "1":
        save_docs_screenshot(page)

    # Keyboard: focus the quick reply and press Enter; the title shows as the buyer's message.
    title, snippet = QUICK_REPLY
    page.get_by_role("button", name=title).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".ssw-log .ssw-user .ssw-bubble").last).to_have_text(title)
    chat.expect_bot(snippet)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-conversation.png"))

    history = chat.bubbles()
    session_id = chat.session_id()
    page.reload()
    chat.wait_online()
    assert chat.bubbles() == history
    assert chat.session_id() == session_id

    chat.turn(*FOLLOW_UP)
    typed = [QUESTION[0]] + [text for text, _ in VERIFICATION]
    # The tracker store keeps what was typed with the phone digits masked (bot/security/redact.py).
    stored = [redact_text(text, 2000) for text in typed]
    assert stored[-1] == "****"
    texts = chat.user_texts_in_tracker()
    assert texts[: len(typed)] == stored  # one conversation across the reload
    assert len(texts) == len(typed) + 2 and texts[-1] == FOLLOW_UP[0]


def test_markup_is_shown_as_text(chat: Chat) -> None:
    page = chat.page
    before = chat.bot_count()
    chat.say(XSS)
    chat.expect_new_bot_message(before)

    expect(page.locator(".ssw-log .ssw-user .ssw-bubble").last).to_have_text(XSS)
    assert page.locator(".ssw-log img").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_enter_does_not_cut_off_a_hangul_syllable(chat: Chat) -> None:
    page = chat.page
    cdp = page.context.new_cdp_session(page)
    users_before = page.locator(".ssw-log .ssw-user").count()

    chat.input.fill("안녕하세")
    chat.input.press("End")
    # The IME is still composing "요": Enter only commits it, nothing is sent.
    cdp.send("Input.imeSetComposition", {"text": "요", "selectionStart": 1, "selectionEnd": 1})
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.locator(".ssw-log .ssw-user").count() == users_before

    # Safari-style keydown after compositionend still carries keyCode 229.
    page.evaluate(
        """() => document.querySelector('.ssw-input').dispatchEvent(new KeyboardEvent(
             'keydown', {key: 'Enter', keyCode: 229, bubbles: true, cancelable: true}))"""
    )
    page.wait_for_timeout(300)
    assert page.locator(".ssw-log .ssw-user").count() == users_before

    cdp.send("Input.insertText", {"text": "요"})  # composition ends
    assert chat.input.input_value() == "안녕하세요"
    page.keyboard.press("Enter")
    expect(page.locator(".ssw-log .ssw-user .ssw-bubble").last).to_have_text("안녕하세요")
    expect(chat.input).to_have_value("")


def test_small_screen_keyboard_and_labels(chat: Chat) -> None:
    page = chat.page
    assert page.viewport_size == {"width": 360, "height": 740}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = chat.send_button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360
    expect(chat.log).to_have_attribute("aria-live", "polite")
    expect(chat.input).to_have_attribute("type", "text")

    # Reach the input with Tab alone and send with Enter.
    page.locator("body").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('ssw-input')"):
            break
    else:
        pytest.fail("the message input is not reachable with Tab")
    page.keyboard.type(QUESTION[0])
    page.keyboard.press("Enter")
    chat.expect_bot(QUESTION[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def shop_page(browser_stack: Stack) -> Iterator[str]:
    """A shop's page on another origin (another loopback port) that embeds the widget."""
    html = (
        '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>상품</title></head>'
        "<body><h1>상품 페이지</h1>"
        f'<script src="{browser_stack.widget_url}static/widget.js" '
        f'data-server="{browser_stack.rasa_url}"></script></body></html>'
    ).encode()

    class ShopHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ShopHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        # "localhost" vs Rasa's "127.0.0.1": a different origin, same loopback space.
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_embeds_on_another_site_as_a_floating_button(
    page: Page, browser_stack: Stack, shop_page: str
) -> None:
    page.goto(shop_page)
    assert not shop_page.startswith(browser_stack.rasa_url)

    launcher = page.get_by_role("button", name="채팅 상담 열기")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(page.get_by_role("button", name="채팅 상담 닫기")).to_have_attribute(
        "aria-expanded", "true"
    )
    chat = Chat(page, browser_stack)
    chat.wait_online()
    assert page.evaluate("document.querySelector('.ssw-floating').contains(document.activeElement)")
    chat.turn(*QUESTION)

    page.keyboard.press("Escape")
    expect(page.locator(".ssw-floating")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_reconnects_after_the_server_restarts(chat: Chat, browser_stack: Stack) -> None:
    """Runs last: it restarts Rasa."""
    page = chat.page
    chat.turn(*QUESTION)

    browser_stack.stop_rasa()
    expect(chat.status).to_have_text(OFFLINE_TEXT, timeout=RECONNECT_TIMEOUT_MS)
    expect(chat.input).to_be_disabled()
    expect(chat.send_button).to_be_disabled()

    browser_stack.start_rasa()
    page.wait_for_function(
        "(text) => window.__statuses.includes(text)",
        arg=RECONNECTED_TEXT,
        timeout=RECONNECT_TIMEOUT_MS,
    )
    chat.wait_online()

    chat.turn(*VERIFICATION[0])  # the conversation goes on where it was
    assert chat.user_texts_in_tracker() == [QUESTION[0], VERIFICATION[0][0]]
