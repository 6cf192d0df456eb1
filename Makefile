# newsmon: `make run` (crawl, extract, serve), `make demo` (offline), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev,elasticsearch

.PHONY: install run demo test test-elasticsearch lint bench clean chromium elasticsearch

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/newsmon run

demo: $(STAMP)
	$(BIN)/newsmon demo

# The browser tests drive Debian's chromium (never a downloaded browser).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	test -x /usr/bin/chromium || ($(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium)

# The Elasticsearch the store tests run against: the integ-test-zip from Maven Central (no JDK inside: the
# machine's Java 17+ runs it), unpacked once into build/. Keep ES_VERSION in step with tests/elastic_server.py.
ES_VERSION := 8.19.4
ES_HOME := build/elasticsearch-$(ES_VERSION)
elasticsearch: $(ES_HOME)/bin/elasticsearch
$(ES_HOME)/bin/elasticsearch:
	mkdir -p build
	test -f build/elasticsearch-$(ES_VERSION).zip || mvn -q dependency:copy \
		-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$(ES_VERSION):zip -DoutputDirectory=build/
	cd build && $(PYTHON) -m zipfile -e elasticsearch-$(ES_VERSION).zip .
	chmod -R a+rX $(ES_HOME) && chmod a+x $(ES_HOME)/bin/*
	touch $@

# The tests also run the optional transformers NER backend on a model they train themselves, so they
# install the `transformers` extra (PyPI's torch: about 3 GB, downloaded once per virtualenv).
TEST_STAMP := $(VENV)/.installed-test
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),transformers]"
	touch $(TEST_STAMP)

# NEWSMON_REQUIRE_*=1: the Elasticsearch and transformers tests fail rather than skip when they cannot run.
# The Elasticsearch tests start and stop their servers themselves from $(ES_HOME): one node, and a
# three-node cluster on loopback (256 MB heaps, about 2 minutes; tests/elastic_cluster.py).
test: $(TEST_STAMP) chromium elasticsearch
	NEWSMON_REQUIRE_ELASTICSEARCH=1 NEWSMON_REQUIRE_TRANSFORMERS=1 $(BIN)/python -m pytest

# Only the Elasticsearch tests (`-m elasticsearch`): the single node, the secured endpoint and the cluster.
test-elasticsearch: $(STAMP) elasticsearch
	NEWSMON_REQUIRE_ELASTICSEARCH=1 $(BIN)/python -m pytest -m elasticsearch

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data/*.db build *.egg-info
