# The front door. `make help` lists the targets; `make demo` and `make test` are the README's two.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
PREFIX  ?= /usr/local
CARGO   ?= cargo
# The workspace version (Cargo.toml) and its ABI version: MAJOR, or 0.MINOR before 1.0; the
# shared library's SONAME is libnps.so.ABI (nps-ffi/build.rs).
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SOABI   := $(shell echo $(VERSION) | awk -F. '{ print ($$1 == 0 ? $$1 "." $$2 : $$1) }')
DESTLIB := $(DESTDIR)$(abspath $(PREFIX))/lib
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: help demo test lint test-rust test-c test-header test-python header lib develop bench install clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

demo: develop ## Run the main job: the garden-centre survey (every interval, per wave), then the insurer's programme and its closed loop
	$(PY) examples/demo.py
	$(PY) examples/insurer_demo.py
	$(PY) examples/closed_loop_demo.py

test: lint test-rust test-header test-c test-python ## Run every check and test (what CI runs)

lint: $(VENV)/.ready ## cargo fmt --check, cargo clippy -D warnings, and the API docs without warnings
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace --quiet

test-rust: $(VENV)/.ready ## Rust unit, doc, property and reference tests
	$(CARGO) test --workspace

test-header: ## Fail when include/nps.h is not what cbindgen generates from nps-ffi
	$(CARGO) test -p nps-ffi --test header

header: ## Regenerate include/nps.h with the pinned cbindgen
	NPS_UPDATE_HEADER=1 $(CARGO) test -p nps-ffi --test header

test-c: lib ## Build the C library, compile the C tests with gcc, run them under valgrind
	tests/c/run.sh target/release

lib: ## Build libnps (release) into target/release, with the link libnps.so.ABI (its SONAME) to libnps.so
	$(CARGO) build -p nps-ffi --release
	ln -sf libnps.so target/release/libnps.so.$(SOABI)

$(VENV)/.ready: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

develop: $(VENV)/.ready ## Build the Python module into .venv (maturin, release)
	cd nps-py && maturin develop --release --quiet

test-python: develop ## pytest on the Python module, stubtest on its type stubs, mypy --strict on it and the examples
	$(PY) -m pytest -q tests/python
	$(PY) -m mypy.stubtest nps._nps --allowlist tests/python/stubtest-allowlist.txt
	$(PY) -m mypy --strict examples/*.py nps-py/python/nps

bench: develop ## Criterion benches and the comparison against numpy and pandas
	$(CARGO) bench -p nps-core
	$(PY) benches/compare_numpy.py
	$(PY) benches/compare_pandas_groupby.py
	$(PY) benches/compare_by_rust.py

install: lib ## Install libnps (libnps.so.VERSION with its links libnps.so.ABI and libnps.so; libnps.a), nps.h and nps.pc under PREFIX (staged under DESTDIR if set)
	install -d $(DESTLIB)/pkgconfig $(DESTDIR)$(abspath $(PREFIX))/include
	install -m 644 include/nps.h $(DESTDIR)$(abspath $(PREFIX))/include/
	install -m 755 target/release/libnps.so $(DESTLIB)/libnps.so.$(VERSION)
	ln -sf libnps.so.$(VERSION) $(DESTLIB)/libnps.so.$(SOABI)
	ln -sf libnps.so.$(SOABI) $(DESTLIB)/libnps.so
	install -m 644 target/release/libnps.a $(DESTLIB)/
	sed 's|@PREFIX@|$(abspath $(PREFIX))|' nps-ffi/nps.pc.in > $(DESTLIB)/pkgconfig/nps.pc

clean: ## Remove build products and the virtual environment
	$(CARGO) clean
	rm -rf $(VENV)
