# One-command entry points. Everything installs into .venv with only python3 needed.
PY ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs what the app needs; `make test` adds the test tools (own stamp).
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test setup demo bench bench-peer lint docs clean

$(APP_STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(APP_STAMP)

$(TEST_STAMP): $(APP_STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

setup: $(APP_STAMP)

## make run [HOST=h] [PORT=p]: set up, create the SQLite database with demo data, serve on http://$(HOST):$(PORT)
## (print layouts head with a demo company name unless ENGINE_COMPANY_NAME is set)
run: $(APP_STAMP)
	bash scripts/ensure-print.sh
	mkdir -p instance
	$(BIN)/engine init --admin-password admin
	$(BIN)/engine demo
	@echo
	@echo "  Open http://$(HOST):$(PORT)/ and log in as admin / admin,"
	@echo "  or as a demo user (password = user name): liuyang 刘洋 (销售经理), zhangwei 张伟 / wangfang 王芳 /"
	@echo "  lina 李娜 (销售), zhaolei 赵磊 (财务), sunli 孙丽 (仓库), zhouqiang 周强 (生产), chenjing 陈静 (总经理)."
	@echo
	ENGINE_COMPANY_NAME="$${ENGINE_COMPANY_NAME:-苏州示例机电有限公司}" $(BIN)/engine serve --host $(HOST) --port $(PORT)

## make test: set up (incl. PostgreSQL if absent) and run the whole suite on SQLite and PostgreSQL
test: $(TEST_STAMP)
	bash scripts/ensure-services.sh
	bash scripts/ensure-print.sh
	$(BIN)/python -m pytest -n 2 --durations=30 $(PYTEST_ARGS)
	# the date-sensitive tests again, where the machine's date is a day ahead of Shanghai's
	TZ=Pacific/Kiritimati ENGINE_TEST_CLOCK=12:00 $(BIN)/python -m pytest -n 2 -m dates -q $(PYTEST_ARGS)

bench: $(TEST_STAMP)
	bash scripts/ensure-services.sh
	$(BIN)/python bench/run.py
	$(BIN)/python bench/approve.py
	$(BIN)/python bench/timers.py
	$(BIN)/python bench/import_rows.py
	$(BIN)/python bench/login_throttle.py
	$(BIN)/python bench/keyset.py
	$(BIN)/python bench/views.py
	$(BIN)/python bench/million.py

## make bench-peer [PEER_BENCH=dir]: the peer yardstick (hand-written Flask app vs this product, same pages,
## one run; see bench/peer/README.md), with the repository's own product targets in bench/peer/.
## Knobs of its run_all.sh pass through the environment (ROUNDS, DURATION, CONCURRENCY, SCENARIOS, ...).
PEER_BENCH ?= ../shared/peer-bench
PEER_TARGETS ?= bench/peer/product.json bench/peer/product-sync.json
bench-peer: $(APP_STAMP)
	@if [ ! -x "$(PEER_BENCH)/run_all.sh" ]; then \
	  echo "bench-peer: the peer yardstick is not at $(PEER_BENCH) (no run_all.sh there);"; \
	  echo "  give its folder as PEER_BENCH=/path/to/peer-bench. Nothing was run."; exit 2; fi
	PRODUCT_DIR="$(CURDIR)" "$(PEER_BENCH)/run_all.sh" "$(PEER_BENCH)/targets/baseline.json" $(PEER_TARGETS)

## make docs: rewrite the generated sections of docs/reference.md (module format, field types, API, CLI, settings)
docs: $(APP_STAMP)
	$(BIN)/python scripts/reference.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check engine tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance .pytest_cache
