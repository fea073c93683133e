# The project's vocabulary. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml constraints.txt scripts/bootstrap
	scripts/bootstrap

setup: $(STAMP)  ## create .venv (Python 3.10) with pinned packages

system-deps:  ## Debian packages the tests need (chromium, redis-server)
	scripts/system-deps

seed: setup  ## (re)load the demo orders into the embedded store, dated relative to now
	$(PY) -m bot.orders seed-demo

validate: setup  ## check training data, stories and domain
	$(RASA) data validate --fail-on-warnings

# Reuses the newest model when config, domain, data, bot/nlp, bot/rasa_ext and constraints.txt
# are unchanged; a change under bot/nlp or bot/rasa_ext forces a full retrain (Rasa cannot see
# it); keeps the newest 3 models. See bot/model_cache.py.
train: setup  ## train the model when data, config, domain or the Korean pipeline changed
	$(PY) -m bot.model_cache

run: train  ## seed demo orders if empty, start the action server and Rasa
	scripts/run

shell: train  ## talk to the assistant in the terminal
	scripts/run --shell

sync: setup  ## keep the order store current from the Commerce API (README "Connect your store")
	$(PY) -m bot.orders sync --follow

bench-sync: setup  ## sync throughput through a fake Commerce API: 10,000 and 100,000 orders, SQLite and PostgreSQL
	$(PY) bench/sync.py

forget: setup  ## delete conversations older than privacy.conversation_retention_days (bot/settings.yml)
	$(PY) -m bot.retention

audit: train  ## throw 1,000+ hostile inputs at a fresh assistant over REST and the widget; print findings
	$(PY) scripts/audit.py

lint: setup  ## ruff
	$(VENV)/bin/ruff check bot actions tests bench scripts

bench: setup  ## NLU figures on the held-out split, ours vs Rasa's stock pipeline
	$(PY) bench/nlu.py

vendor-web:  ## re-vendor the socket.io browser client (node/npm needed only here)
	npm ci --no-audit --no-fund && npm run vendor-web

docs-screenshot: train  ## refresh docs/widget.png from a real conversation
	UPDATE_DOCS_SCREENSHOT=1 $(PY) -m pytest tests/browser -q -k question

test: setup system-deps train  ## everything: lint, validate, pytest (unit, actions, e2e, browser), story tests
	scripts/test

.PHONY: help setup system-deps seed validate train run shell sync bench-sync forget audit lint bench test vendor-web docs-screenshot
