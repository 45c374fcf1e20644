# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
PO := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run install test lint bench translations extract-messages db system-packages clean audit lock

run: install
	$(FLASK) run --host 127.0.0.1 --port 5000

install: system-packages $(STAMP) $(MO) db

system-packages:
	@tools/system-packages.sh run

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
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
	$(BIN)/python bench/spike.py

lint: $(STAMP)
	$(BIN)/ruff check .

# Known vulnerabilities in the locked dependency set fail this (CI runs it).
audit: $(STAMP)
	$(BIN)/python tools/audit_dependencies.py

# Re-lock after changing dependencies in pyproject.toml: every installed package, pinned.
lock: $(STAMP)
	@{ echo "# The tested dependency set, pinned (make lock). Installs use it as constraints; make audit checks it."; \
	  $(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^cyber4all-academy'; } > requirements.lock

extract-messages: $(STAMP)
	@$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o app/translations/messages.pot .
	@$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(MO)
