# kagoshima.saiyo — entry points. 'make help' lists them.
#
#   make run            install, create the site with its demo content, serve http://localhost:8080
#   make test           every test; the last line is "N passed, N failed"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PROFILE ?= development
PORT ?=
RENDER_SET := $(if $(PORT),--set server.port=$(PORT),)
STAMP := $(VENV)/.installed

.PHONY: help install node-tools instance site run start stop status test test-addon test-project lint reset clean lock buildout bench report schedule manuals

help: ## Show this help
	@echo "kagoshima.saiyo — 鹿児島県職員採用ウェブサイト"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PROFILE=$(PROFILE) (profiles/*.toml), PORT=<port>, PYTHON=<interpreter>"

$(STAMP): requirements.txt src/kagoshima.saiyo/pyproject.toml
	@test -n "$(PYTHON)" || { echo "エラー: Python 3 が見つかりません / Error: no python3 found (install Python 3.11)"; exit 1; }
	@$(PYTHON) backend/preflight.py python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip==25.3"
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Compiled translations (.mo) are build products: made from the .po catalogs whenever those change.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard src/kagoshima.saiyo/src/kagoshima/saiyo/locales/*/LC_MESSAGES/*.po))

$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/python -m backend.compile_translations

install: $(STAMP) $(MO_FILES) ## Create .venv, install the pinned requirements (only when they changed) and compile the translations

# axe-core and Lighthouse for the browser tests and benchmarks, pinned in tools/node/package-lock.json.
NODE_STAMP := tools/node/node_modules/.installed

$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "エラー: npm がありません（apt-get install npm）/ Error: npm is missing (apt-get install npm)"; exit 1; }
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node-tools: $(NODE_STAMP) ## Install axe-core and Lighthouse (npm ci in tools/node) for the browser tests and benchmarks

instance: install ## Render instance/etc from profiles/$(PROFILE).toml (PORT=… overrides the port)
	$(BIN)/python -m backend.render_instance --profile $(PROFILE) $(RENDER_SET)

site: instance ## Create the site with demo content, or update an existing one (never wipes)
	@$(BIN)/python backend/preflight.py database "$$(sed -n 's/^data_fs = "\(.*\)"/\1/p' instance/etc/instance.toml)"
	$(BIN)/zconsole run instance/etc/zope.conf backend/create_site.py --demo 2> >(grep -v '^WARNING:' >&2)

run: site ## Install, create the site and serve it in the foreground (Ctrl-C stops)
	$(BIN)/python -m backend.server run

start: site ## Serve in the background (pid file instance/var/zope.pid)
	$(BIN)/python -m backend.server start

stop: ## Stop the background server
	@if [ -f instance/etc/instance.toml ]; then $(BIN)/python -m backend.server stop; else echo "not running"; fi

status: ## Say whether the background server runs
	@$(BIN)/python -m backend.server status

test: install node-tools ## Run every test (add-on + project); last line "N passed, N failed"
	$(BIN)/python -m tests.run_all

test-addon: install ## Run only the add-on tests (zope.testrunner)
	$(BIN)/zope-testrunner --test-path src/kagoshima.saiyo/src --all

test-project: install node-tools ## Run only the project tests (pytest: real server, Chromium)
	$(BIN)/python -m pytest tests

lint: install ## Check the code with ruff
	$(BIN)/ruff check backend tests src benchmarks
	$(BIN)/ruff format --check backend tests src benchmarks

reset: ## Delete the database and blobs in instance/var after asking (a new site is made by make run)
	@$(MAKE) --no-print-directory stop
	@echo "instance/var のデータベースとファイル（blob）を削除します。元に戻せません。"
	@echo "This deletes the database and blobs in instance/var. It cannot be undone."
	@read -r -p "続けますか / continue? [yes/NO] " answer; \
	if [ "$$answer" = "yes" ]; then rm -rf instance/var/filestorage instance/var/blobstorage instance/var/admin-password.txt; echo "deleted"; \
	else echo "中止しました / cancelled"; exit 1; fi

clean: ## Remove the virtual environment, rendered instance files and caches (keeps data)
	rm -rf $(VENV) instance/etc build .pytest_cache .ruff_cache test-output buildout-versions.cfg
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

lock: ## Re-resolve requirements.in into the pinned requirements.txt
	$(PYTHON) backend/lock_requirements.py --python $(PYTHON)

buildout: install ## Build the same deployment with zc.buildout (bin/instance)
	$(BIN)/python backend/buildout_versions.py
	$(BIN)/buildout -c buildout.cfg

manuals: install ## Build the Japanese manuals (docs/manuals/*.md) into Word files in build/manuals/ (needs pandoc)
	$(BIN)/python -m backend.build_manuals

bench: site node-tools ## Measure start-up time, idle memory, the page-view collector's throughput, Lighthouse scores and page weight
	$(BIN)/python -m benchmarks.startup
	$(BIN)/python -m benchmarks.pageviews
	$(BIN)/python -m benchmarks.lighthouse

report: install ## Write last month's page-view report (CSV, .xlsx) into instance/var/reports
	$(BIN)/python -m backend.pageview_report

schedule: install ## Publish reserved pages at 公開日時, expire pages past 公開終了日時 (cron: every 5 min; SITE_URL=… for mail links)
	$(BIN)/zconsole run instance/etc/zope.conf backend/publish_schedule.py $(if $(SITE_URL),--site-url $(SITE_URL),) 2> >(grep -v '^WARNING:' >&2)
