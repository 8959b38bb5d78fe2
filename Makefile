# geostress: two commands from a fresh clone — `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
REPORT ?= out/demo

.PHONY: demo test bench snapshot install clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main job, offline on the embedded snapshot: data status, the monitor, the published-figure checks and the
## report of the baseline scenario (self-contained HTML with fan charts, holders, tipping point, minerals, reserves).
demo: $(STAMP)
	@mkdir -p $(REPORT)
	GEOSTRESS_OFFLINE=1 $(VENV)/bin/geostress data status
	GEOSTRESS_OFFLINE=1 $(VENV)/bin/geostress monitor
	GEOSTRESS_OFFLINE=1 $(VENV)/bin/geostress monitor --json > $(REPORT)/monitor.json
	GEOSTRESS_OFFLINE=1 $(VENV)/bin/geostress validate
	GEOSTRESS_OFFLINE=1 $(VENV)/bin/geostress report baseline --out $(REPORT)
	@echo "Report: $(abspath $(REPORT))/report.html (open it offline in a browser; figures/, data/ and scenario/ beside it)"

## The whole suite. pytest's exit 5 (no tests collected) counts as a failure. The compiled kernels are compiled (or
## loaded from numba's cache) first, in one process: on a fresh clone that takes about 100 s, and the suite's runs,
## service workers among them, would otherwise each wait for it.
test: $(STAMP)
	$(PY) -m geostress.run.warm
	$(PY) -m pytest -q -p no:cacheprovider -n auto --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: $(STAMP)
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b; done

## Rebuild the embedded snapshot from the official files (default: ../shared/data).
snapshot: $(STAMP)
	$(VENV)/bin/geostress data snapshot build --from $(or $(DATA),../shared/data)

clean:
	rm -rf $(VENV) out .pytest_cache
