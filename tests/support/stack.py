"""Real-server harness for end-to-end tests: `rasa run` + the action server on loopback.

    with running_stack(tmp_path, model, orders_file=FIXTURE_ORDERS, now=FIXED_NOW_TEXT) as s:
        replies = s.rest("buyer-1", "안녕하세요")

Each stack gets its own SQLite order store and tracker store in `workdir`, free loopback
ports, and log files (`rasa.log`, `actions.log`, `orders-load.log`) in `workdir`. Every
process runs in its own process group, which is killed on exit.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from tests.support.paths import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent  # the interpreter running the tests: the project venv
ARTIFACTS = PROJECT_ROOT / "var" / "test-artifacts"  # screenshots and logs kept for CI

RASA_START_TIMEOUT = 180.0
ACTIONS_START_TIMEOUT = 90.0
ORDERS_LOAD_TIMEOUT = 120.0
STOP_TIMEOUT = 15.0
REQUEST_TIMEOUT = 60.0


class StackError(RuntimeError):
    """A server did not start; the message carries the tail of its log."""


def find_model(project_root: Path = PROJECT_ROOT) -> Path:
    """The newest trained model in models/, or a pytest failure saying how to get one.

    BOT_TEST_MODEL=/path/to/model.tar.gz overrides the lookup.
    """
    import pytest

    override = os.environ.get("BOT_TEST_MODEL", "").strip()
    if override:
        path = Path(override)
        if not path.is_file():
            pytest.fail(f"BOT_TEST_MODEL={override} is not a file")
        return path
    models = sorted((project_root / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        pytest.fail(
            f"No trained model in {project_root / 'models'}: run `make train` first "
            "(CI trains before the end-to-end tests)."
        )
    return models[-1]


def default_credentials(project_root: Path = PROJECT_ROOT) -> Path:
    """The project's credentials.yml, or BOT_TEST_CREDENTIALS if set."""
    override = os.environ.get("BOT_TEST_CREDENTIALS", "").strip()
    return Path(override) if override else project_root / "credentials.yml"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 50) -> str:
    if not path.exists():
        return f"({path} does not exist)"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return f"--- last {lines} lines of {path} ---\n" + "\n".join(text[-lines:])


def write_endpoints(path: Path, actions_port: int, tracker_db: Path) -> None:
    """The project's embedded endpoints, on this stack's ports and files."""
    path.write_text(
        "action_endpoint:\n"
        f"  url: http://127.0.0.1:{actions_port}/webhook\n"
        "  headers:\n"
        "    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n"  # unquoted, or Rasa keeps ${...}
        "  enable_selective_domain: true\n"
        "tracker_store:\n"
        "  type: bot.rasa_ext.tracker_store.PrivateSQLTrackerStore\n"
        "  dialect: sqlite\n"
        f"  db: {tracker_db}\n",
        encoding="utf-8",
    )


def add_redis_lock_store(endpoints: Path, redis_port: int) -> None:
    """Append the at-scale lock store (deploy/endpoints.scale.yml's class) to an endpoints file."""
    text = endpoints.read_text(encoding="utf-8")
    endpoints.write_text(
        text + "lock_store:\n  type: bot.rasa_ext.lock_store.AtomicRedisLockStore\n"
        f"  url: 127.0.0.1\n  port: {redis_port}\n  db: 0\n",
        encoding="utf-8",
    )


def kill_group(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM the process group, then SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=timeout)


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path, timeout: float, what: str
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(
                f"{what} exited with code {process.returncode} before answering {url}\n"
                + log_tail(log)
            )
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise StackError(f"{what} did not answer {url} within {timeout:.0f} s\n" + log_tail(log))


class Stack:
    """Handles to a running Rasa server and action server."""

    def __init__(
        self,
        workdir: Path,
        model: Path,
        env: dict[str, str],
        credentials: Path,
        enable_api: bool,
    ) -> None:
        self.workdir = workdir
        self.model = model
        self.env = env
        self.credentials = credentials
        self.enable_api = enable_api
        self.rasa_port = free_port()
        self.actions_port = free_port()
        self.endpoints = workdir / "endpoints.yml"
        self.rasa_log = workdir / "rasa.log"
        self.actions_log = workdir / "actions.log"
        self._rasa: subprocess.Popen | None = None
        self._actions: subprocess.Popen | None = None
        self._rasa_starts = 0
        write_endpoints(self.endpoints, self.actions_port, workdir / "tracker.db")

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_pid(self) -> int | None:
        """The running Rasa server's process id (benchmarks read its memory)."""
        return self._rasa.pid if self._rasa is not None and self._rasa.poll() is None else None

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def widget_url(self) -> str:
        return f"{self.rasa_url}/webhooks/widget/"

    def _spawn(self, args: list[str], log: Path) -> subprocess.Popen:
        with open(log, "ab") as out:
            return subprocess.Popen(
                args,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group, so kill_group reaches children
            )

    def start_actions(self) -> None:
        args = [
            str(VENV_BIN / "python"), "-m", "bot.action_server",
            "--port", str(self.actions_port),
        ]
        self._actions = self._spawn(args, self.actions_log)
        wait_until_up(
            f"{self.actions_url}/health",
            self._actions,
            self.actions_log,
            ACTIONS_START_TIMEOUT,
            "action server",
        )

    def start_rasa(self) -> None:
        """Start (or restart) Rasa on the same port, appending to the same log."""
        if self._rasa is not None and self._rasa.poll() is None:
            raise StackError("Rasa is already running")
        self._rasa_starts += 1
        with open(self.rasa_log, "ab") as out:
            out.write(f"\n=== rasa start #{self._rasa_starts} ===\n".encode())
        args = [
            str(VENV_BIN / "rasa"), "run",
            "--model", str(self.model),
            "--port", str(self.rasa_port),
            "--interface", "127.0.0.1",
            "--credentials", str(self.credentials),
            "--endpoints", str(self.endpoints),
        ]
        if self.enable_api:
            args.append("--enable-api")
        self._rasa = self._spawn(args, self.rasa_log)
        wait_until_up(self.rasa_url + "/", self._rasa, self.rasa_log, RASA_START_TIMEOUT, "Rasa")

    def stop_actions(self) -> None:
        if self._actions is not None:
            kill_group(self._actions)

    def stop_rasa(self) -> None:
        if self._rasa is not None:
            kill_group(self._rasa)

    def pids(self) -> dict[str, int]:
        """The process id of each server started here ("rasa", "actions"), running or not."""
        return {name: process.pid
                for name, process in (("rasa", self._rasa), ("actions", self._actions))
                if process is not None}

    def exited(self) -> list[str]:
        """A line for each server process that is no longer running."""
        return [
            f"{name} exited with code {process.returncode}"
            for name, process in (("Rasa", self._rasa), ("action server", self._actions))
            if process is not None and process.poll() is not None
        ]

    def stop(self) -> None:
        for process in (self._rasa, self._actions):
            if process is not None:
                kill_group(process)

    def rest(self, sender: str, text: str, metadata: Mapping[str, Any] | None = None) -> list[dict]:
        """One buyer turn through the REST channel; the bot's messages in order."""
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = dict(metadata)
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=REQUEST_TIMEOUT
        )
        reply.raise_for_status()
        return reply.json()

    def tracker(self, sender: str) -> dict:
        """The conversation tracker (needs enable_api=True)."""
        reply = requests.get(
            f"{self.rasa_url}/conversations/{quote(sender, safe='')}/tracker",
            timeout=REQUEST_TIMEOUT,
        )
        reply.raise_for_status()
        return reply.json()


def load_orders(orders_file: Path, env: dict[str, str], log: Path) -> None:
    args = [str(VENV_BIN / "python"), "-m", "bot.orders", "load", str(orders_file)]
    done = subprocess.run(
        args,
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=ORDERS_LOAD_TIMEOUT,
    )
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise StackError(f"`{' '.join(args)}` failed with code {done.returncode}\n" + log_tail(log))


def stack_env(
    workdir: Path, now: str | None = None, extra_env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a stack's processes: its own SQLite order store in `workdir`
    (created), action-server token and signing key; `now` fixes the clock (BOT_NOW);
    `extra_env` comes last (e.g. ORDERS_DB_URL of a shared database)."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "ORDERS_DB_URL": f"sqlite:///{workdir / 'orders.db'}",
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
            ),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONUNBUFFERED": "1",
            # Each stack has its own action-server token and signing key.
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(32),
            "BOT_SECRET_KEY": secrets.token_hex(32),
        }
    )
    if now:
        env["BOT_NOW"] = now
    else:
        env.pop("BOT_NOW", None)
    env.update(extra_env or {})
    return env


@contextmanager
def running_stack(
    workdir: Path,
    model: Path,
    orders_file: Path | None = None,
    now: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    credentials: Path | None = None,
    enable_api: bool = True,
) -> Iterator[Stack]:
    """Start the action server and Rasa; yield a Stack; kill both on exit.

    now: fixed clock for the action server (BOT_NOW, ISO-8601 with offset).
    credentials: defaults to the project's credentials.yml (or BOT_TEST_CREDENTIALS).
    enable_api: starts Rasa with --enable-api (no token; loopback only) so tests can read
    trackers.
    """
    workdir = Path(workdir).resolve()
    env = stack_env(workdir, now, extra_env)

    if orders_file is not None:
        load_orders(Path(orders_file), env, workdir / "orders-load.log")

    stack = Stack(
        workdir,
        Path(model).resolve(),
        env,
        Path(credentials) if credentials else default_credentials(),
        enable_api,
    )
    try:
        stack.start_actions()
        stack.start_rasa()
        yield stack
    finally:
        stack.stop()
