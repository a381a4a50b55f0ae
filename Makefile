# kagoshima.saiyo — entry points. 'make help' lists them.
#
#   make run            install, create the site with its demo content, serve http://localhost:8080
#   make test           every test; the last line is "N passed, N failed"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# VENV=.venv-3.12 PYTHON=~/.pyenv/versions/3.12.1/bin/python: a second environment on another Python
VENV ?= .venv
BIN := $(VENV)/bin
PROFILE ?= development
PORT ?=
RENDER_SET := $(if $(PORT),--set server.port=$(PORT),)
# make cluster SET="proxy.https_port=8443 proxy.http_port=8000": profile overrides, space-separated
CLUSTER_SET := $(foreach item,$(SET),--set $(item))
STAMP := $(VENV)/.installed

.PHONY: help install wheelhouse audit node-tools instance site run start stop status test test-addon test-project lint reset clean lock buildout bench report stores-migrate schedule search-rebuild manuals migrate migrate-import export cluster cluster-stop cluster-status backup restore pack check a11y-report test-report training

help: ## Show this help
	@echo "kagoshima.saiyo — 鹿児島県職員採用ウェブサイト"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: PROFILE=$(PROFILE) (profiles/*.toml), PORT=<port>, PYTHON=<interpreter>"

$(STAMP): requirements.txt src/kagoshima.saiyo/pyproject.toml backend/pyproject.toml
	@test -n "$(PYTHON)" || { echo "エラー: Python 3 が見つかりません / Error: no python3 found (install Python 3.11)"; exit 1; }
	@$(PYTHON) backend/src/saiyo_backend/preflight.py python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
ifdef OFFLINE
	$(PYTHON) backend/src/saiyo_backend/deploy/wheelhouse.py install "$(OFFLINE)" --python $(BIN)/python
else
	$(BIN)/python -m pip install -q --upgrade "pip==25.3"
	$(BIN)/python -m pip install -q -r requirements.txt
endif
	$(BIN)/python -m pip check
	@touch $(STAMP)

# Compiled translations (.mo) are build products: made from the .po catalogs whenever those change.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard src/kagoshima.saiyo/src/kagoshima/saiyo/locales/*/LC_MESSAGES/*.po))

$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/saiyo translations

install: $(STAMP) $(MO_FILES) ## Create .venv, install the pinned requirements (only when they changed; OFFLINE=<wheelhouse .tar or folder> installs with no network) and compile the translations

# The offline wheelhouse for the prefecture's closed network: every wheel of the lock, pip, the
# Debian/RHEL package lists and the source, with SHA-256 checksums (docs/operations/offline-install.md).
WHEELHOUSE_OUT ?= build/wheelhouse/saiyo-wheelhouse-$(shell date +%Y%m%d)

wheelhouse: install ## Collect every wheel of the lock (sdists built), pip, OS package lists and the source into build/wheelhouse/*.tar with SHA-256 sums
	$(BIN)/saiyo wheelhouse build --out "$(WHEELHOUSE_OUT)"

# Vulnerability check of requirements.txt against a downloaded OSV database (DB=…; AUDIT_DOWNLOAD=1 fetches it).
audit: install ## Check the pinned requirements for known vulnerabilities offline (pip-audit + OSV database in build/advisories; DB=…; AUDIT_DOWNLOAD=1 downloads it)
	$(BIN)/saiyo audit $(if $(DB),--db "$(DB)",) $(if $(AUDIT_DOWNLOAD),--download,)

# axe-core and Lighthouse for the browser tests and benchmarks, pinned in tools/node/package-lock.json.
NODE_STAMP := tools/node/node_modules/.installed

$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "エラー: npm がありません（apt-get install npm）/ Error: npm is missing (apt-get install npm)"; exit 1; }
	cd tools/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

node-tools: $(NODE_STAMP) ## Install axe-core and Lighthouse (npm ci in tools/node) for the browser tests and benchmarks

instance: install ## Render instance/etc from profiles/$(PROFILE).toml (PORT=… overrides the port)
	$(BIN)/saiyo instance --profile $(PROFILE) $(RENDER_SET)

site: instance ## Create the site with demo content, or update an existing one (never wipes)
	$(BIN)/saiyo create-site --demo 2> >(grep -v '^WARNING:' >&2)

run: site ## Install, create the site and serve it in the foreground (Ctrl-C stops)
	$(BIN)/saiyo run

start: site ## Serve in the background (pid file instance/var/zope.pid)
	$(BIN)/saiyo start

stop: ## Stop the background server
	@$(BIN)/saiyo stop

status: ## Say whether the background server runs
	@$(BIN)/saiyo status

test: install node-tools ## Run every test (add-on + project); last line "N passed, N failed"
	$(BIN)/python -m tests.run_all

test-addon: install ## Run only the add-on tests (zope.testrunner)
	$(BIN)/zope-testrunner --test-path src/kagoshima.saiyo/src --all

test-project: install node-tools ## Run only the project tests (pytest: real server, Chromium)
	$(BIN)/python -m pytest tests

lint: install node-tools ## Check the code with ruff, and the site's CSS and JavaScript against the supported browsers
	$(BIN)/ruff check backend tests src benchmarks migration
	$(BIN)/ruff format --check backend tests src benchmarks migration
	$(BIN)/python -m saiyo_backend.devtools.browser_compat

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
	$(PYTHON) backend/src/saiyo_backend/devtools/lock.py --python $(PYTHON)

buildout: install ## Build the same deployment with zc.buildout (bin/instance)
	$(BIN)/saiyo buildout-versions
	$(BIN)/buildout -c buildout.cfg

manuals: install ## Build the manuals, design document, training booklet (.docx) and slides (.pptx) into build/manuals/ with fresh screenshots of a throwaway demo site (needs pandoc, graphviz, chromium)
	$(BIN)/saiyo manuals

# The CMS training's practice site: the site of 'make site' plus trainees kenshu01..NN, a folder each.
TRAINEES ?= 10

training: site ## Practice site for the CMS training: TRAINEES=10 numbered trainee accounts with a folder each (passwords in instance/var/training-accounts.csv)
	$(BIN)/saiyo training --trainees $(TRAINEES)

.PHONY: changelog
# The release's version defaults to the add-on's; the fragments in news/ are removed once built.
CHANGELOG_VERSION = $(or $(VERSION),$(shell $(BIN)/python -c "from importlib.metadata import version; print(version('kagoshima.saiyo'))"))
changelog: install ## Collect the news/ fragments into CHANGES.md (VERSION=… names the release; DRAFT=1 only prints it)
	$(BIN)/towncrier build --config towncrier.toml --version "$(CHANGELOG_VERSION)" $(if $(DRAFT),--draft,--yes)

bench: site node-tools ## Measure start-up time, idle memory, the page-view collector's (and its PostgreSQL store's next to SQLite), the proxy's and the migration's throughput, Lighthouse scores and page weight, the site search over 5,000 pages, and the uncached render time of every page type next to a stock Plone front page
	$(BIN)/python -m benchmarks.startup
	$(BIN)/python -m benchmarks.pageviews
	$(BIN)/python -m benchmarks.shared_stores
	$(BIN)/python -m benchmarks.lighthouse
	$(BIN)/python -m benchmarks.proxy_throughput
	$(BIN)/python -m benchmarks.migration
	$(BIN)/python -m benchmarks.search
	$(BIN)/python -m benchmarks.render

report: install ## Write last month's page-view report (CSV, .xlsx) into instance/var/reports
	$(BIN)/saiyo report

stores-migrate: install ## Move this instance's page views and audit trail from SQLite into the profile's PostgreSQL [stores] (once; safe to repeat)
	$(BIN)/saiyo stores-migrate

schedule: install ## Publish reserved pages at 公開日時, expire pages past 公開終了日時 (cron: every 5 min; SITE_URL=… for mail links)
	$(BIN)/saiyo schedule $(if $(SITE_URL),--site-url $(SITE_URL),) 2> >(grep -v '^WARNING:' >&2)

search-rebuild: install ## Rebuild the site search's index (terms, text, meaning vectors) of every page (server stopped, or ZEO/RelStorage)
	$(BIN)/saiyo search-rebuild 2> >(grep -v '^WARNING:' >&2)

# Old-site migration: build (no Zope) -> import inside Zope -> report. The folder keeps the
# JSON, the crawl cache (resumable) and the report, so a run can be inspected and replayed.
MIGRATION_OUT ?= instance/var/migration

migrate: instance ## Migrate the old site: SOURCE=<mirror folder or base URL> (server stopped); report in instance/var/migration
	@test -n "$(SOURCE)" || { echo "エラー: SOURCE=<旧サイトのミラーのフォルダ または URL> を指定してください / Error: give SOURCE=<folder-or-url>"; exit 2; }
	$(BIN)/python -m migration build "$(SOURCE)" --out "$(MIGRATION_OUT)"
	@$(MAKE) --no-print-directory migrate-import MIGRATION_OUT="$(MIGRATION_OUT)"

migrate-import: instance ## Import (again) the JSON of the last migration build in instance/var/migration and write the report
	@status=0; \
	$(BIN)/saiyo migrate-import "$(MIGRATION_OUT)" 2> >(grep -v '^WARNING:' >&2) || status=$$?; \
	$(BIN)/python -m migration report --out "$(MIGRATION_OUT)" || status=1; \
	exit $$status

# Handover export: every object, relation, local role, redirect, state, user and group.
EXPORT_OUT ?= instance/var/export/saiyo-export-$(shell date +%Y%m%d)

export: instance ## Write the handover export (JSON, blobs, CSV per type, Japanese README) and its zip (server stopped)
	$(BIN)/saiyo export "$(EXPORT_OUT)" 2> >(grep -v '^WARNING:' >&2)

cluster: install ## Render and start a whole deployment of PROFILE (production, zeo, relstorage): ZEO server, Zope clients, nginx (DEMO=1 adds demo content)
	$(BIN)/saiyo cluster start --profile $(if $(filter development,$(PROFILE)),production,$(PROFILE)) $(CLUSTER_SET) $(if $(DEMO),--demo,)

cluster-stop: ## Stop the deployment started by make cluster (nginx, clients, ZEO server)
	$(BIN)/saiyo cluster stop

cluster-status: ## Say which parts of the deployment run (exit 3 when one is down)
	$(BIN)/saiyo cluster status

backup: install ## Back up the deployment: repozo full/incremental + blob snapshot, or pg_dump (var/backup; FULL=1 forces a full one)
	$(BIN)/saiyo backup $(if $(FULL),--full,)

restore: install ## Restore the last backup (DATE=YYYY-MM-DD-HH-MM-SS for an older one; ARCHIVE=<encrypted backup .zip>); stop the deployment first
	$(BIN)/saiyo restore $(if $(DATE),--date $(DATE),) $(if $(ARCHIVE),--archive "$(ARCHIVE)",)

pack: install ## Pack the database (drop history older than 7 days; DAYS=… to change)
	$(BIN)/saiyo pack $(if $(DAYS),--days $(DAYS),)

check: install ## Monitoring check with Nagios exit codes (site, clients, disk, database size, backup age, logs since the last run)
	$(BIN)/saiyo check

a11y-report: install node-tools ## Run axe-core over the accessibility test pages of the running site (SITE_URL=…, default http://localhost:8080) into the test-results page's JSON
	$(BIN)/saiyo a11y-report $(if $(SITE_URL),--site-url $(SITE_URL),)

test-report: install ## Write the Japanese test report (試験成績書 .docx/.xlsx) from the last make test run into test-output/test-report/
	$(BIN)/saiyo test-report
