# Capacitas — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The W3C Nu HTML Checker (tests/test_html_conformance.py), from npm into .vnu/ (git ignores it).
VNU_VERSION := 26.9.27
VNU_JAR := .vnu/node_modules/vnu-jar/build/dist/vnu.jar
# A real OpenID Connect provider for the single sign-on test (tests/sso/), from npm into .oidc/.
OIDC_PROVIDER_VERSION := 9.13.3
OIDC_MODULE := .oidc/node_modules/oidc-provider/lib/index.js
# A real xAPI Learning Record Store for the forwarder's tests and benchmark (tests/learners/xapi/):
# France Université Numérique's Ralph, from PyPI into a venv of its own, .ralph/.
RALPH_VERSION := 5.1.0
RALPH_BIN := .ralph/bin/ralph

# The SCORM runtime (docs/interoperability.md), vendored into static/ and committed, so `make run`
# needs no npm. `make vendor-scorm` fetches exactly this version from npm and copies it again.
SCORM_AGAIN_VERSION := 3.4.3
SCORM_AGAIN_DIR := static/vendor/scorm-again

.PHONY: run serve test install lint format bench migrate demo messages clean vnu htmlcheck oidc ralph vendor-scorm lti-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo "Serving Capacitas on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# A real LTI 1.3 platform on loopback (the tests' lti1p3platform, dev extra) that embeds Capacitas
# in its iframe: run it beside `make run` (docs/interoperability.md, "Try it locally"). It
# registers itself in the local database (idempotent) and trusts the tool's /lti/jwks.json.
LTI_DEMO_PORT ?= 8010
lti-demo: install
	LTI_DEMO_HOST=$(HOST) LTI_DEMO_PORT=$(LTI_DEMO_PORT) LTI_DEMO_TOOL=http://$(HOST):$(PORT) \
		$(BIN)/python -m tests.learners.lti.demo

# Production settings on this machine: gunicorn + task worker through deploy/ (the containers'
# scripts), DATABASE_URL/REDIS_URL as set, else SQLite in .serve/ (docs/operations.md).
serve: install
	HOST=$(HOST) PORT=$(PORT) deploy/serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint vnu oidc ralph
	@if [ -x /usr/bin/chromium ]; then \
		echo "Browser tests: running with /usr/bin/chromium."; \
	else \
		echo "Browser tests: SKIPPED — /usr/bin/chromium not found (install Debian's chromium to run them)."; \
	fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Installs the checker only where npm and Java exist, and never fails `make test` for want of
# them: the HTML test then skips and says why. --ignore-scripts: vnu-jar's install script would
# download a Java runtime; the machine's Java is the one to use.
vnu:
	@if ! command -v java >/dev/null 2>&1; then \
		echo "HTML check: SKIPPED — Java not found (the Nu HTML Checker is a Java program)."; \
	elif [ -f $(VNU_JAR) ]; then \
		echo "HTML check: running with $(VNU_JAR)."; \
	elif ! command -v npm >/dev/null 2>&1; then \
		echo "HTML check: SKIPPED — npm not found (it installs vnu-jar into .vnu/)."; \
	elif npm install --prefix .vnu --no-save --ignore-scripts --no-audit --no-fund --silent \
			vnu-jar@$(VNU_VERSION); then \
		echo "HTML check: installed vnu-jar $(VNU_VERSION) into .vnu/."; \
	else \
		echo "HTML check: SKIPPED — npm could not install vnu-jar."; \
	fi

# Like vnu: installs where node and npm exist; without them the SSO test skips and says why.
oidc:
	@if ! command -v node >/dev/null 2>&1; then \
		echo "OIDC test: SKIPPED — node not found (the test starts oidc-provider with it)."; \
	elif [ -f $(OIDC_MODULE) ]; then \
		echo "OIDC test: running with oidc-provider in .oidc/."; \
	elif ! command -v npm >/dev/null 2>&1; then \
		echo "OIDC test: SKIPPED — npm not found (it installs oidc-provider into .oidc/)."; \
	elif npm install --prefix .oidc --no-save --no-audit --no-fund --silent \
			oidc-provider@$(OIDC_PROVIDER_VERSION); then \
		echo "OIDC test: installed oidc-provider $(OIDC_PROVIDER_VERSION) into .oidc/."; \
	else \
		echo "OIDC test: SKIPPED — npm could not install oidc-provider."; \
	fi

# Like vnu and oidc: never fails `make test` for want of it; the LRS tests then skip and say
# why (CI sets RALPH_REQUIRED=1 so they fail there instead). Its own venv: the LRS server's
# dependencies (FastAPI, uvicorn, python-jose…) stay out of ours. requests: ralph 5.1.0 imports it
# (api/auth/oidc.py) without declaring it in the lrs or cli extras.
ralph:
	@if [ -x $(RALPH_BIN) ]; then \
		echo "Ralph LRS tests: running with $(RALPH_BIN)."; \
	elif $(PYTHON) -m venv .ralph && .ralph/bin/python -m pip install --quiet \
			"ralph-malph[lrs,cli]==$(RALPH_VERSION)" requests; then \
		echo "Ralph LRS tests: installed ralph-malph $(RALPH_VERSION) into .ralph/."; \
	else \
		rm -rf .ralph; \
		echo "Ralph LRS tests: SKIPPED — pip could not install ralph-malph[lrs,cli] into .ralph/."; \
	fi

# Repeatable: npm pack downloads the pinned tarball (its integrity checked by npm), and the
# runtime, its licence and the version go to static/vendor/scorm-again/; commit the result.
vendor-scorm:
	@command -v npm >/dev/null 2>&1 || { echo "vendor-scorm needs npm"; exit 1; }
	rm -rf .vendor-scorm && mkdir -p .vendor-scorm $(SCORM_AGAIN_DIR)
	cd .vendor-scorm && npm pack --silent scorm-again@$(SCORM_AGAIN_VERSION) >/dev/null
	tar -xzf .vendor-scorm/scorm-again-$(SCORM_AGAIN_VERSION).tgz -C .vendor-scorm
	# Without its source map (not vendored), whose reference collectstatic would try to resolve.
	sed '/^\/\/# sourceMappingURL=/d' .vendor-scorm/package/dist/scorm-again.min.js \
		> $(SCORM_AGAIN_DIR)/scorm-again.min.js
	cp .vendor-scorm/package/LICENSE $(SCORM_AGAIN_DIR)/LICENSE
	echo "scorm-again $(SCORM_AGAIN_VERSION) from npm (make vendor-scorm); MIT licence in LICENSE." \
		> $(SCORM_AGAIN_DIR)/VERSION
	rm -rf .vendor-scorm
	@echo "Vendored scorm-again $(SCORM_AGAIN_VERSION) into $(SCORM_AGAIN_DIR)/."

htmlcheck: install vnu
	$(BIN)/python -m pytest -m htmlcheck -rA $(PYTEST_ARGS)

bench: install ralph
	$(BIN)/python benchmarks/run.py

messages: install
	$(BIN)/python manage.py makemessages -l es --ignore=.venv --ignore=benchmarks --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .vnu .oidc .ralph
