"""A throwaway Redis server on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis

from tests.support.stack import free_port, kill_group


class RedisServer:
    """A Redis that can be stopped and started again on the same port (fault tests)."""

    def __init__(self, binary: str, port: int, workdir: str) -> None:
        self.binary, self.port, self.workdir = binary, port, workdir
        self.client = redis.Redis(host="127.0.0.1", port=port)
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.workdir],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True,
        )
        for _ in range(100):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)

    def stop(self) -> None:
        if self._process is not None:
            kill_group(self._process)


@contextmanager
def redis_process() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: run `make system-deps`")
    server = RedisServer(binary, free_port(), tempfile.mkdtemp(prefix="smartstore-redis-"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[tuple[int, redis.Redis]]:
    with redis_process() as server:
        yield server.port, server.client
