# hoshin — the two commands of the quick start are `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
SEEDS := ../shared/seeds
REFORM_SEED := $(SEEDS)/001_93b4eaf820d612a8.txt
COMPREHENSIVE_SEED := $(SEEDS)/000_78a06c49d3f23c0e.txt
REFORM_PLAN := 第6次行財政改革大綱に基づく実施計画
COMPREHENSIVE_PLAN := 総合計画 自立できる自治体経営の推進

.PHONY: setup demo demo-data test lint pytest bench bench-evaluations bench-portal bench-search run

setup:
	@bash scripts/setup.sh

# The worker (queued PDFs and e-mails) runs in the background and stops with runserver.
# The demo runs a fictional city, so that the header, e-mails, letters, PDFs and the open-data
# credit show a name (HOSHIN_CITY_NAME in the environment still wins).
DEMO_CITY_NAME := ほしの市
demo demo-data: export HOSHIN_CITY_NAME ?= $(DEMO_CITY_NAME)

demo: setup demo-data
	@$(MANAGE) run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

demo-data:
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) import_plan $(REFORM_SEED) --plan "$(REFORM_PLAN)" --create-departments --publish --replace
	$(MANAGE) import_plan $(COMPREHENSIVE_SEED) --plan "$(COMPREHENSIVE_PLAN)" --create-departments --publish --replace
	$(MANAGE) create_demo_users
	$(MANAGE) seed_demo_evaluations --plan "$(REFORM_PLAN)"
	$(MANAGE) seed_demo_voices --plan "$(REFORM_PLAN)"
	$(MANAGE) seed_demo_surveys
	$(MANAGE) search_rebuild

test: setup lint pytest

# The layer order (CONTRIBUTING.md): import-linter for Python, scripts/check_layers.py for
# templates' {% load %}.
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check_layers.py
	$(MANAGE) makemigrations --check --dry-run

pytest:
	$(VENV)/bin/pytest -p no:cacheprovider

bench: setup
	$(PY) bench/plan_import.py
	$(PY) bench/parsers.py
	$(PY) bench/evaluations.py
	$(PY) bench/portal.py
	$(PY) bench/plan_page.py
	$(PY) bench/search.py
	$(PY) bench/signin.py
	$(PY) bench/reports.py

bench-evaluations: setup
	$(PY) bench/evaluations.py

# Japanese search over 100,000 records: indexing throughput and query latency percentiles.
bench-search: setup
	$(PY) bench/search.py

# gunicorn + wrk over 5,000 actions × 5 published years (bench/portal.py --help for sizes).
bench-portal: setup
	$(PY) bench/portal.py
