# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PO := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run install test lint bench translations extract-messages db system-packages clean

run: install
	$(FLASK) run --host 127.0.0.1 --port 5000

install: system-packages $(STAMP) $(MO) db

system-packages:
	@tools/system-packages.sh run

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

db: $(STAMP) $(MO)
	@$(FLASK) db upgrade
	@$(FLASK) demo --if-empty

test: $(STAMP) $(MO)
	@tools/system-packages.sh test
	$(BIN)/pytest --durations=25

bench: $(STAMP) $(MO)
	$(BIN)/python bench/certificates.py

lint: $(STAMP)
	$(BIN)/ruff check .

extract-messages: $(STAMP)
	@$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot .
	@$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(MO)
