.PHONY: run test lint format messages bench

run:  ## install, migrate, load demo data, start on http://127.0.0.1:8000/
	scripts/start

test:  ## install and run the whole test suite (DATABASE_URL picks the database)
	scripts/test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

messages:  ## refresh the Greek catalogue from the code; then translate every new msgstr
	.venv/bin/python manage.py makemessages -l el --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench
	.venv/bin/python manage.py compilemessages --ignore=.venv

bench:  ## load-test the main pages on PostgreSQL with wrk (bench/run.py; see README)
	STOX_WITH_BENCH_TOOLS=1 scripts/bootstrap.sh >/dev/null
	.venv/bin/python bench/run.py
