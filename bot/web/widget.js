/*
 * Chat widget for the SmartStore buyer-support assistant (Rasa socket.io channel).
 *
 * Embed:
 *   <script src="https://host/webhooks/widget/static/widget.js"
 *           data-server="https://host" defer></script>
 *
 * Attributes on the script tag (all optional):
 *   data-server       Rasa server origin (default: where this script came from)
 *   data-socket-path  socket.io path (default: /socket.io)
 *   data-container    CSS selector: mount the chat inside that element instead of a
 *                     floating launcher button
 *   data-title        header title
 *   data-greeting     first bot line shown in a new conversation (local, not sent)
 *
 * Rules kept here: buyer and bot text only ever goes through textContent; history and
 * the session id live in sessionStorage so a reload continues the same conversation.
 * The server issues (and signs) session ids: when it confirms an id other than the one
 * asked for, the old conversation is gone and its local history is dropped too.
 */
(function () {
  "use strict";

  var script =
    document.currentScript ||
    document.querySelector('script[src*="widget.js"]');
  if (!script || window.__smartstoreWidgetLoaded) {
    return;
  }
  window.__smartstoreWidgetLoaded = true;

  var scriptUrl = new URL(script.src, document.baseURI);
  var assetBase = scriptUrl.href.replace(/[^/]*$/, "");
  var config = {
    server: script.getAttribute("data-server") || scriptUrl.origin,
    socketPath: script.getAttribute("data-socket-path") || "/socket.io",
    container: script.getAttribute("data-container"),
    title: script.getAttribute("data-title") || "주문 도우미",
    greeting:
      script.getAttribute("data-greeting") ||
      "안녕하세요! 스마트스토어 주문 도우미예요.\n취소가 거부됐을 때, 배송이 늦을 때, 반품이나 환불이 궁금할 때 편하게 물어보세요.",
  };

  var TEXT = {
    connecting: "연결하는 중이에요…",
    offline: "연결이 끊겼어요. 다시 연결하는 중…",
    reconnected: "다시 연결됐어요.",
    slow: "답변이 늦어지고 있어요. 잠시 후 다시 보내 주세요.",
    tooLong: "메시지가 너무 길어요. 2,000자 이내로 줄이거나 나눠서 보내 주세요.",
    newSession: "이전 대화를 이어갈 수 없어서 새 대화를 시작했어요.",
    sessionRefused: "대화가 만료됐어요. 새 대화에서 다시 보내 주세요.",
    inputLabel: "메시지 입력",
    placeholder: "메시지를 입력해 주세요",
    send: "보내기",
    restart: "새 대화",
    restartLabel: "대화를 처음부터 다시 시작하기",
    open: "채팅 상담 열기",
    close: "채팅 상담 닫기",
    quickReplies: "빠른 답변",
    typing: "답변을 준비하고 있어요",
    botName: "도우미",
    userName: "나",
  };

  var MAX_HISTORY = 200;
  // The server's security.max_message_chars (bot/settings.yml); longer messages would only
  // get a "too long" answer. JS counts UTF-16 units, so an emoji counts twice: stricter.
  var MAX_MESSAGE_CHARS = 2000;
  var REPLY_TIMEOUT_MS = 30000;
  var storageKey = "smartstore-widget:" + config.server;

  // ---------- state ----------

  function loadState() {
    try {
      var raw = window.sessionStorage.getItem(storageKey);
      var parsed = raw ? JSON.parse(raw) : null;
      if (parsed && Array.isArray(parsed.history)) {
        return { sessionId: parsed.sessionId || null, history: parsed.history };
      }
    } catch (ignored) {
      // Storage may be blocked (privacy mode); the chat still works for this page view.
    }
    return { sessionId: null, history: [] };
  }

  function saveState() {
    try {
      window.sessionStorage.setItem(
        storageKey,
        JSON.stringify({ sessionId: state.sessionId, history: state.history })
      );
    } catch (ignored) {
      // See loadState.
    }
  }

  var state = loadState();
  var socket = null;
  var online = false;
  var everConnected = false;
  var composing = false;
  var replyTimer = null;
  var requestedSessionId = null; // what the last session_request asked for
  var messageRefused = false; // the server refused a message for its session id
  var statusTimer = null;

  // ---------- DOM ----------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  var uid = "ssw-" + Math.random().toString(36).slice(2, 8);
  var root = el("section", "ssw-root");
  root.setAttribute("aria-label", config.title);

  var header = el("header", "ssw-header");
  var title = el("h2", "ssw-title", config.title);
  var restartButton = el("button", "ssw-restart", TEXT.restart);
  restartButton.type = "button";
  restartButton.setAttribute("aria-label", TEXT.restartLabel);
  header.appendChild(title);
  header.appendChild(restartButton);

  var log = el("ol", "ssw-log");
  log.id = uid + "-log";
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "대화 내용");
  log.tabIndex = 0; // scrollable region must be keyboard-reachable

  var typing = el("div", "ssw-typing");
  typing.hidden = true;
  var typingLabel = el("span", "ssw-sr-only", TEXT.typing);
  typing.appendChild(typingLabel);
  for (var i = 0; i < 3; i++) {
    var dot = el("span", "ssw-dot");
    dot.setAttribute("aria-hidden", "true");
    typing.appendChild(dot);
  }

  var status = el("p", "ssw-status");
  status.setAttribute("role", "status");

  var form = el("form", "ssw-form");
  form.setAttribute("novalidate", "");
  var label = el("label", "ssw-sr-only", TEXT.inputLabel);
  label.htmlFor = uid + "-input";
  // A single-line input: an IME's Enter can never leave a stray newline in the message.
  var input = el("input", "ssw-input");
  input.type = "text";
  input.id = uid + "-input";
  input.autocomplete = "off";
  input.maxLength = MAX_MESSAGE_CHARS; // a longer paste is cut here already
  input.placeholder = TEXT.placeholder;
  input.setAttribute("enterkeyhint", "send");
  var sendButton = el("button", "ssw-send", TEXT.send);
  sendButton.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);

  root.appendChild(header);
  root.appendChild(log);
  root.appendChild(typing);
  root.appendChild(status);
  root.appendChild(form);

  function mount() {
    var host = config.container ? document.querySelector(config.container) : null;
    if (host) {
      root.classList.add("ssw-inline");
      host.appendChild(root);
      return;
    }
    // Floating mode: a launcher button toggles the panel.
    root.classList.add("ssw-floating");
    root.id = uid + "-panel";
    root.hidden = true;
    var launcher = el("button", "ssw-launcher", "💬");
    launcher.type = "button";
    launcher.setAttribute("aria-label", TEXT.open);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", root.id);
    launcher.addEventListener("click", function () {
      setOpen(root.hidden);
    });
    root.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        setOpen(false);
        launcher.focus();
      }
    });
    function setOpen(open) {
      root.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      launcher.setAttribute("aria-label", open ? TEXT.close : TEXT.open);
      if (open) {
        scrollToEnd();
        (input.disabled ? log : input).focus(); // the input is disabled until connected
      }
    }
    document.body.appendChild(root);
    document.body.appendChild(launcher);
  }

  // ---------- rendering ----------

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function clearQuickReplies() {
    var bars = log.querySelectorAll(".ssw-quick");
    for (var j = 0; j < bars.length; j++) {
      bars[j].parentNode.removeChild(bars[j]);
    }
  }

  function renderQuickReplies(item, replies) {
    var bar = el("div", "ssw-quick");
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", TEXT.quickReplies);
    replies.forEach(function (reply) {
      var button = el("button", "ssw-quick-button", reply.title);
      button.type = "button";
      button.disabled = !online;
      button.addEventListener("click", function () {
        if (send(reply.payload, reply.title)) {
          input.focus();
        }
      });
      bar.appendChild(button);
    });
    item.appendChild(bar);
  }

  function isSafeImage(src) {
    try {
      var url = new URL(src, document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch (ignored) {
      return false;
    }
  }

  function renderEntry(entry, isLast) {
    var item = el("li", "ssw-msg ssw-" + entry.from);
    var who = el("span", "ssw-sr-only", (entry.from === "user" ? TEXT.userName : TEXT.botName) + ": ");
    item.appendChild(who);
    if (entry.text) {
      item.appendChild(el("p", "ssw-bubble", entry.text));
    }
    if (entry.image && isSafeImage(entry.image)) {
      var img = el("img", "ssw-image");
      img.src = entry.image;
      img.alt = "";
      img.loading = "lazy";
      item.appendChild(img);
    }
    if (isLast && entry.quickReplies && entry.quickReplies.length) {
      renderQuickReplies(item, entry.quickReplies);
    }
    log.appendChild(item);
  }

  function addEntry(entry) {
    clearQuickReplies();
    state.history.push(entry);
    if (state.history.length > MAX_HISTORY) {
      state.history.splice(0, state.history.length - MAX_HISTORY);
      log.removeChild(log.firstChild);
    }
    saveState();
    renderEntry(entry, true);
    scrollToEnd();
  }

  function renderHistory() {
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    state.history.forEach(function (entry, index) {
      renderEntry(entry, index === state.history.length - 1);
    });
    scrollToEnd();
  }

  function setTyping(on) {
    typing.hidden = !on;
    window.clearTimeout(replyTimer);
    if (on) {
      replyTimer = window.setTimeout(function () {
        typing.hidden = true;
        showStatus(TEXT.slow);
      }, REPLY_TIMEOUT_MS);
      scrollToEnd();
    }
  }

  function showStatus(text, fadeAfterMs) {
    window.clearTimeout(statusTimer);
    status.textContent = text || "";
    root.classList.toggle("ssw-has-status", Boolean(text));
    if (text && fadeAfterMs) {
      statusTimer = window.setTimeout(function () {
        showStatus("");
      }, fadeAfterMs);
    }
  }

  function setOnline(value) {
    online = value;
    root.classList.toggle("ssw-offline", !value);
    input.disabled = !value;
    sendButton.disabled = !value;
    var buttons = log.querySelectorAll(".ssw-quick-button");
    for (var j = 0; j < buttons.length; j++) {
      buttons[j].disabled = !value;
    }
  }

  // ---------- messages ----------

  // Bot messages follow Rasa's socket.io shape; a custom payload arrives as its `data`.
  function toEntry(message) {
    if (!message || typeof message !== "object") {
      return null;
    }
    var entry = { from: "bot" };
    if (typeof message.text === "string") {
      entry.text = message.text;
    }
    var replies = message.quick_replies || message.buttons;
    if (Array.isArray(replies)) {
      entry.quickReplies = replies
        .filter(function (r) {
          return r && typeof r.title === "string" && typeof r.payload === "string";
        })
        .map(function (r) {
          return { title: r.title, payload: r.payload };
        });
    }
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      entry.image = String(attachment.payload.src || "");
    }
    if (!entry.text && !entry.image && !(entry.quickReplies && entry.quickReplies.length)) {
      return null;
    }
    return entry;
  }

  function send(payload, shownText) {
    var text = String(payload || "").trim();
    if (!text || !online || !state.sessionId) {
      return false;
    }
    if (text.length > MAX_MESSAGE_CHARS) {
      showStatus(TEXT.tooLong, 6000);
      return false;
    }
    addEntry({ from: "user", text: shownText || text });
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
    setTyping(true);
    return true;
  }

  // ---------- input ----------

  function isImeEnter(event) {
    // Korean IME: Enter while a syllable is still being composed must only finish it.
    return event.isComposing || composing || event.keyCode === 229;
  }

  input.addEventListener("compositionstart", function () {
    composing = true;
  });
  input.addEventListener("compositionend", function () {
    composing = false;
  });
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    // Enter is handled here only: no implicit form submission, which would fire even
    // while the IME is composing.
    event.preventDefault();
    if (!isImeEnter(event)) {
      submit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    if (send(input.value)) {
      input.value = "";
    }
    input.focus();
  }

  restartButton.addEventListener("click", function () {
    state = { sessionId: null, history: [] };
    saveState();
    renderHistory();
    greetIfNew();
    setTyping(false);
    if (socket && socket.connected) {
      requestSession();
    }
    input.focus();
  });

  function greetIfNew() {
    if (state.history.length === 0 && config.greeting) {
      addEntry({ from: "bot", text: config.greeting });
    }
  }

  // ---------- connection ----------

  function requestSession() {
    requestedSessionId = state.sessionId;
    socket.emit("session_request", { session_id: requestedSessionId });
  }

  function startOver() {
    state = { sessionId: null, history: [] };
    renderHistory();
    greetIfNew();
  }

  function connect() {
    socket = window.io(config.server, {
      path: config.socketPath,
      // WebSocket first: it needs no CORS setup when the widget is embedded on another
      // site; long-polling stays as the fallback for proxies that block WebSockets.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });

    socket.on("connect", function () {
      // Every (re)connection gets a new socket id: ask to rejoin the same conversation.
      requestSession();
    });

    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      var replaced = Boolean(id && requestedSessionId && id !== requestedSessionId);
      if (replaced) {
        // The server refused the old id (expired, or never ours): that conversation is
        // not this one, so its history must not stay on screen.
        startOver();
      }
      if (id) {
        state.sessionId = id;
        saveState();
      }
      setOnline(true);
      if (replaced) {
        showStatus(messageRefused ? TEXT.sessionRefused : TEXT.newSession, 8000);
      } else if (everConnected) {
        showStatus(TEXT.reconnected, 4000);
      } else {
        showStatus("");
      }
      messageRefused = false;
      everConnected = true;
    });

    // The server did not accept our session id for a message: ask again, which starts a
    // new conversation (see session_confirm). The message itself was not delivered.
    socket.on("session_refused", function () {
      setTyping(false);
      messageRefused = true;
      requestSession();
    });

    socket.on("bot_uttered", function (message) {
      var entry = toEntry(message);
      setTyping(false);
      if (entry) {
        addEntry(entry);
      }
    });

    socket.on("disconnect", function () {
      setOnline(false);
      setTyping(false);
      showStatus(TEXT.offline);
    });

    socket.on("connect_error", function () {
      setOnline(false);
      showStatus(everConnected ? TEXT.offline : TEXT.connecting);
    });
  }

  function loadSocketIo(callback) {
    if (typeof window.io === "function") {
      callback();
      return;
    }
    var tag = document.createElement("script");
    tag.src = assetBase + "vendor/socket.io.min.js";
    tag.onload = callback;
    tag.onerror = function () {
      showStatus(TEXT.offline);
    };
    document.head.appendChild(tag);
  }

  function loadCss() {
    if (document.querySelector('link[data-ssw-css]')) {
      return;
    }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = assetBase + "widget.css";
    link.setAttribute("data-ssw-css", "");
    document.head.appendChild(link);
  }

  function start() {
    loadCss();
    mount();
    renderHistory();
    greetIfNew();
    setOnline(false);
    showStatus(TEXT.connecting);
    loadSocketIo(connect);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
