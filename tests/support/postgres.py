"""A throwaway PostgreSQL server for tests: its own cluster in a temp dir, on a free port."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A cluster that can be stopped and started again on the same port with its data
    (fault tests: the order database goes away and comes back)."""

    def __init__(self, bin_dir: Path, workdir: Path, port: int, as_user: list[str]) -> None:
        self.bin_dir, self.workdir, self.port, self.as_user = bin_dir, workdir, port, as_user
        self.data = workdir / "pgdata"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _pg_ctl(self, *args: str, timeout: float = 90) -> None:
        subprocess.run(
            self.as_user + [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args],
            check=True, capture_output=True, timeout=timeout,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1"
        self._pg_ctl("-l", str(self.workdir / "postgres.log"), "-w", "-t", "60",
                     "-o", options, "start")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [str(self.bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop at once, as a crash or a lost network would: clients see refused connections."""
        self._pg_ctl("-m", "immediate", "-w", "stop", timeout=60)


@contextmanager
def postgres_cluster() -> Iterator[PostgresServer]:
    """Yield a running PostgresServer; it is stopped and removed on exit."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found: run `make system-deps`")
    # Not under pytest's tmp dir: that one is private to root, and the server runs as postgres.
    workdir = Path(tempfile.mkdtemp(prefix="smartstore-pg-"))
    data = workdir / "pgdata"
    data.mkdir(parents=True)
    # initdb refuses to run as root: run the server as the `postgres` system user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(workdir, "postgres")
        shutil.chown(data, "postgres")
    subprocess.run(
        as_user
        + [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = PostgresServer(bin_dir, workdir, _free_port(), as_user)
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield a SQLAlchemy URL to a fresh database; the server is stopped and removed on exit."""
    with postgres_cluster() as server:
        yield server.url
