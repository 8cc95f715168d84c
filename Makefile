# One plain entry point. `make run` does the main job, `make test` passes the tests;
# both set up everything they need first (Debian packages, a virtual environment).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
APT_STAMP := $(VENV)/.system-deps
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: Chromium for static chart export (kaleido) and browser tests,
# Arabic fonts for the PDF reports, poppler for PDF checks.
DEBIAN_PACKAGES := chromium fonts-hosny-amiri fonts-noto-core poppler-utils
# Only needed to regenerate the R reference fixtures (`make reference`) and for `make bench`.
R_PACKAGES := r-base-core r-cran-survey r-cran-laeken

.PHONY: help setup run test demo batch publish dashboard bench reference clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(STAMP) $(APT_STAMP)  ## create .venv, install the package and the Debian packages

$(APT_STAMP):
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbench)" >/dev/null
	touch $@

run: setup  ## the main job: demo data, the batch for all governorates, HTML and PDF reports
	$(BIN)/workbench data demo --seed 0
	$(BIN)/workbench batch
	$(BIN)/workbench publish

NOTEBOOKS := notebooks/poverty_profile.ipynb notebooks/national_overview.ipynb

test: setup  ## run every test: the report notebooks under nbmake (on the demo data), then the suite
	$(BIN)/workbench data demo --seed 0
	$(BIN)/python -m pytest --nbmake -p no:cacheprovider $(NOTEBOOKS)
	$(BIN)/python -m pytest

demo: setup  ## write the synthetic demo data to data/demo/
	$(BIN)/workbench data demo --seed 0

batch: setup  ## run the notebooks for all governorates and years
	$(BIN)/workbench batch

publish: setup  ## render the executed notebooks to the HTML site and PDFs
	$(BIN)/workbench publish

dashboard: setup  ## serve the Voila dashboards on 127.0.0.1:8866
	$(BIN)/workbench dashboard

bench: setup  ## run the benchmarks (ratios against baselines in the same run)
	$(BIN)/pip install -q -e '.[bench]'
	$(SUDO) apt-get install -y -qq --no-install-recommends $(R_PACKAGES)
	$(BIN)/python benchmarks/estimation.py
	$(BIN)/python benchmarks/batch.py
	$(BIN)/python benchmarks/dashboards.py

reference:  ## regenerate the R reference fixtures (installs R from Debian)
	$(SUDO) apt-get install -y -qq --no-install-recommends $(R_PACKAGES)
	Rscript tests/reference/survey/make_reference.R
	Rscript tests/reference/inequality/make_reference.R
	Rscript tests/reference/poverty/make_reference.R
	Rscript tests/reference/decompositions/make_reference.R

clean:  ## remove generated data and reports (never raw inputs)
	rm -rf data/demo reports/executed reports/_site reports/_build
