"""The action server, private: loopback by default, and only Rasa may call it.

    ACTION_SERVER_TOKEN=... python -m bot.action_server [--host 127.0.0.1] [--port 5055]

Rasa's stock `python -m rasa_sdk` listens on every interface and runs any tracker posted
to it, so one hand-made request could read any order. Here every call but /health must
carry `Authorization: Bearer $ACTION_SERVER_TOKEN` (endpoints.yml sends it; `make run`
makes a fresh token per run when none is configured), and errors answer without echoing
the request (rasa_sdk's handler returns the whole tracker in its 500 reply).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app as create_sdk_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.security.keys import same
from bot.settings import get_settings

logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})


def bearer(request: Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def create_app(token: str, actions: str = "actions") -> Sanic:
    if len(token) < 16:
        raise ValueError("the action server token must be at least 16 characters")
    app = create_sdk_app(actions, cors_origins=None)  # called by Rasa only: no CORS
    app.config.REQUEST_MAX_SIZE = 4 * 1024 * 1024  # a tracker, not a file upload

    @app.on_request
    async def authenticate(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or same(bearer(request), token):
            return None
        logger.warning("refused an unauthenticated call to %s", request.path)
        return response.json({"error": "unauthorized"}, status=401)

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action call to %s failed: %s", request.path, type(exception).__name__,
                     exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.action_server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.environ.get("ACTIONS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    args = parser.parse_args(argv)
    token = os.environ.get("ACTION_SERVER_TOKEN", "").strip()
    if len(token) < 16:
        print("error: set ACTION_SERVER_TOKEN (16+ random characters, the same value Rasa "
              "sends: see endpoints.yml); `make run` makes one for you", file=sys.stderr)
        return 2
    get_settings()  # fail at start, not at the first buyer, on a broken settings file
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    app = create_app(token)
    logger.info("action server on http://%s:%d (token required)", args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
