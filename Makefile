# One-command entry points. Everything installs into .venv with only python3 needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup demo bench lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

## make run: set up, create the SQLite database with demo data, serve on http://127.0.0.1:5000
run: $(STAMP)
	mkdir -p instance
	$(BIN)/engine init --admin-password admin
	$(BIN)/engine demo
	@echo
	@echo "  Open http://127.0.0.1:5000/ and log in as admin / admin,"
	@echo "  or as a demo user (password = user name): liuyang (销售经理), zhangwei / wangfang / lina (销售),"
	@echo "  zhaolei (财务), sunli (仓库), zhouqiang (生产), chenjing (总经理)."
	@echo
	$(BIN)/engine serve --host 127.0.0.1 --port 5000

## make test: set up (incl. PostgreSQL if absent) and run the whole suite on SQLite and PostgreSQL
test: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)
	# the date-sensitive tests again, where the machine's date is a day ahead of Shanghai's
	TZ=Pacific/Kiritimati ENGINE_TEST_CLOCK=12:00 $(BIN)/python -m pytest -n 2 -m dates -q $(PYTEST_ARGS)

bench: $(STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python bench/run.py
	$(BIN)/python bench/approve.py
	$(BIN)/python bench/timers.py

lint: $(STAMP)
	$(BIN)/ruff check engine tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache
