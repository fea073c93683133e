"""The chat widget in headless Chromium against a real `rasa run` + action server.

The stack runs with a copy of bot/settings.yml that allows one other origin (a "shop"
page on localhost) to embed the widget; any other site is refused.

Every wait is bounded. A failing test leaves a screenshot in var/test-artifacts/.
UPDATE_DOCS_SCREENSHOT=1 also writes docs/widget.png (the README's picture) from the
conversation test.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import socketio
import yaml
from playwright.sync_api import Page, expect

from bot.security.redact import redact_text
from tests.support.clock import FIXED_NOW_TEXT
from tests.support.paths import FIXTURE_ORDERS, PROJECT_ROOT
from tests.support.stack import ARTIFACTS, Stack, running_stack
from tests.support.widget_client import WidgetClient

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
CONNECTING_TEXT = "연결하는 중이에요…"
TOO_LONG_TEXT = "메시지가 너무 길어요. 2,000자 이내로 줄이거나 나눠서 보내 주세요."
NEW_SESSION_TEXT = "이전 대화를 이어갈 수 없어서 새 대화를 시작했어요."
GREETING_START = "안녕하세요! 스마트스토어 주문 도우미예요."
MAX_CHARS = 2000  # security.max_message_chars in bot/settings.yml
ISSUED_ID = re.compile(r"[A-Za-z0-9_-]{22}-[0-9a-f]{32}")


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


class PageServer:
    """A one-page web site on a loopback port; its html can be set after it started."""

    def __init__(self, host: str) -> None:
        self.html = b""
        server_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(server_self.html)))
                self.end_headers()
                self.wfile.write(server_self.html)

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # "localhost" vs Rasa's "127.0.0.1": a different origin, same loopback space.
        self.url = f"http://{host}:{self.httpd.server_address[1]}/"
        self.origin = self.url.rstrip("/")

    def embed(self, stack: Stack) -> None:
        self.html = (
            '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>상품</title>'
            "</head><body><h1>상품 페이지</h1>"
            f'<script src="{stack.widget_url}static/widget.js" '
            f'data-server="{stack.rasa_url}"></script></body></html>'
        ).encode()


@contextmanager
def page_server(host: str = "localhost") -> Iterator[PageServer]:
    site = PageServer(host)
    thread = threading.Thread(target=site.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.httpd.shutdown()
        site.httpd.server_close()


@pytest.fixture(scope="module")
def shop_site() -> Iterator[PageServer]:
    """The shop's site: its origin is listed in the stack's widget_allowed_origins."""
    with page_server() as site:
        yield site


def settings_allowing(origin: str, directory: Path) -> Path:
    """A copy of bot/settings.yml whose widget accepts `origin` too."""
    raw = yaml.safe_load((PROJECT_ROOT / "bot" / "settings.yml").read_text(encoding="utf-8"))
    raw.setdefault("security", {})["widget_allowed_origins"] = [origin]
    path = directory / "settings.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, shop_site: PageServer
) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("browser-stack")
    settings = settings_allowing(shop_site.origin, workdir)
    with running_stack(
        workdir,
        trained_model,
        orders_file=FIXTURE_ORDERS,
        now=FIXED_NOW_TEXT,
        extra_env={"BOT_SETTINGS": str(settings)},
    ) as stack:
        shop_site.embed(stack)
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
def shop_page(browser_stack: Stack, shop_site: PageServer) -> str:
    """A shop's page on another origin, allowed by the settings, that embeds the widget."""
    return shop_site.url


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


def test_a_site_not_in_the_settings_cannot_connect(page: Page, browser_stack: Stack) -> None:
    with page_server(host="localhost") as other_site:
        other_site.embed(browser_stack)
        page.goto(other_site.url)
        page.get_by_role("button", name="채팅 상담 열기").click()
        chat = Chat(page, browser_stack)
        # Long enough for the websocket attempt and the long-polling fallback to fail.
        page.wait_for_timeout(5_000)
        expect(chat.status).to_have_text(CONNECTING_TEXT)
        expect(chat.input).to_be_disabled()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_origins_with_a_configured_shop(
    browser_stack: Stack, shop_site: PageServer, transport: str
) -> None:
    """Listed origin and the widget's own origin connect; any other origin is refused."""
    for allowed in (shop_site.origin, browser_stack.rasa_url):
        with WidgetClient(browser_stack.rasa_url, origin=allowed, transport=transport) as client:
            assert ISSUED_ID.fullmatch(client.request_session(None))
    refused = WidgetClient(browser_stack.rasa_url, origin="http://localhost:1", transport=transport)
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect()
    refused.close()


def test_over_long_text_is_cut_or_not_sent(chat: Chat) -> None:
    page = chat.page
    expect(chat.input).to_have_attribute("maxlength", str(MAX_CHARS))

    # A paste (inserted text, as the browser does for Ctrl+V) stops at the cap.
    chat.input.focus()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.insertText", {"text": "가" * (MAX_CHARS + 500)})
    assert len(chat.input.input_value()) == MAX_CHARS

    # A longer value set by a script is kept in the input, not sent, and explained.
    users_before = page.locator(".ssw-log .ssw-user").count()
    page.evaluate(
        "(n) => { document.querySelector('.ssw-input').value = '나'.repeat(n); }", MAX_CHARS + 1
    )
    chat.input.press("Enter")
    expect(chat.status).to_have_text(TOO_LONG_TEXT)
    assert page.locator(".ssw-log .ssw-user").count() == users_before
    assert len(chat.input.input_value()) == MAX_CHARS + 1


def test_new_conversation_forgets_the_verified_order(chat: Chat) -> None:
    page = chat.page
    chat.turn(*QUESTION)
    for text, snippet in VERIFICATION:
        chat.turn(text, snippet)
    first = chat.session_id()

    page.get_by_role("button", name="대화를 처음부터 다시 시작하기").click()
    page.wait_for_function(
        """(old) => { const s = JSON.parse(sessionStorage.getItem(
               'smartstore-widget:' + location.origin));
             return s.sessionId && s.sessionId !== old; }""",
        arg=first,
    )
    second = chat.session_id()
    assert ISSUED_ID.fullmatch(second)
    bubbles = chat.bubbles()
    assert len(bubbles) == 1 and bubbles[0][0] == "bot"
    assert bubbles[0][1].startswith(GREETING_START)

    chat.turn(*QUESTION)  # asks for the order number again
    assert chat.user_texts_in_tracker() == [QUESTION[0]]
    slots = chat.stack.tracker(second)["slots"]
    assert slots["order_id"] is None and slots["phone_last4"] is None


def test_a_session_id_the_server_did_not_issue_starts_over(chat: Chat) -> None:
    """A stored id the server refuses (forged, or from an old key) also drops its history."""
    page = chat.page
    forged = "A" * 22 + "-" + "0" * 32
    page.evaluate(
        """(forged) => sessionStorage.setItem('smartstore-widget:' + location.origin,
             JSON.stringify({sessionId: forged,
                             history: [{from: 'user', text: '다른 사람의 대화'}]}))""",
        forged,
    )
    page.reload()
    chat.wait_online()
    expect(chat.status).to_have_text(NEW_SESSION_TEXT)
    assert ISSUED_ID.fullmatch(chat.session_id()) and chat.session_id() != forged
    assert all("다른 사람의 대화" not in text for _, text in chat.bubbles())
    assert chat.bubbles()[0][1].startswith(GREETING_START)


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
