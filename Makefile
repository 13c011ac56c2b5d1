# Build, serve and test LTV Lens. `make serve` and `make test` install what is missing.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
COMMA := ,
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE := www/sample/sample-orders.csv

.PHONY: serve test bench bench-python tools chromium wasm package www e2e lint clean fuzz proptest-explore python python-test java

# tools/serve.py sends the headers of www/_headers (the Content-Security-Policy among them) on every
# response: the module worker takes its policy from its own response, not from the page's meta tag.
serve: www
	python3 tools/serve.py --bind 127.0.0.1 --port 8080 --directory www

# The workspace: the core (root), the CLI (crates/cli), the wasm binding (crates/wasm) and the Python
# binding (crates/python). Clippy also checks the core and the binding for the wasm target, and the `bench`
# and `schema` features. Last, the Python, Dask and Spark tests (python-test).
test: tools chromium node_modules/.installed
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cargo clippy -p ltv-lens -p ltv-lens-wasm --lib --target $(WASM_TARGET) -- -D warnings
	cargo test --workspace --all-features
	$(MAKE) e2e
	$(MAKE) python-test

# The browser tests need the page built (the package, the sample), Chromium and the release CLI. First the
# worker protocol and the API are type-checked against the generated declarations (tsconfig.json).
e2e: www chromium
	npx tsc -p tsconfig.json
	cargo build --release -p ltv-lens-cli
	node --test --test-timeout=600000 tests/e2e/

# The Python package `ltv_lens` (crates/python, PyO3 + maturin): `make python` builds its wheel into
# target/wheels/ (one release build; `pip install target/wheels/ltv_lens-*.whl` is all a user needs).
# `make python-test` installs it into a virtual environment with the pinned packages of
# tests/python/requirements.txt (pytest, pyarrow, Dask, pyspark) and runs tests/python/ against the
# release CLI: the package's Reports and lists, the Dask fan-out and the Spark sharding. pyspark needs
# Java, installed through apt when missing.
PY_VENV := target/py-venv

python: $(PY_VENV)/.installed
	rm -f target/wheels/ltv_lens-*.whl
	$(PY_VENV)/bin/maturin build --release -m crates/python/Cargo.toml -o target/wheels

python-test: python java
	$(PY_VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/ltv_lens-*.whl
	cargo build --release -p ltv-lens-cli
	cd tests/python && ../../$(PY_VENV)/bin/python -m pytest -q -p no:cacheprovider

$(PY_VENV)/.installed: tests/python/requirements.txt
	[ -x $(PY_VENV)/bin/python ] || python3 -m venv $(PY_VENV)
	$(PY_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt
	touch $@

java:
	@command -v java >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y openjdk-17-jre-headless; }

# Property tests draw their cases from a fixed seed (tests/properties.rs), so `make test` tries the same
# cases every run. This tries PROPTEST_SEEDS fresh random seeds; a failing case is written to
# tests/properties.proptest-regressions (commit it: every later run replays it first) and the seed printed.
PROPTEST_SEEDS ?= 20

proptest-explore:
	for i in $$(seq $(PROPTEST_SEEDS)); do \
	  seed=$$(od -An -N8 -tu8 /dev/urandom | tr -d ' '); \
	  echo "PROPTEST_RNG_SEED=$$seed"; \
	  PROPTEST_RNG_SEED=$$seed cargo test --release --quiet --test properties || exit 1; \
	done

BENCH_CUSTOMERS ?= 400000
BENCH_FILE := target/bench/orders-$(BENCH_CUSTOMERS).csv

# Subscriptions: a subscription export (ltv-lens sample --subscriptions) for the section's cost.
BENCH_SUBSCRIPTION_CUSTOMERS ?= 100000
BENCH_SUBSCRIPTION_FILE := target/bench/subscriptions-$(BENCH_SUBSCRIPTION_CUSTOMERS).csv

# Predicted value: synthetic customers (written by the native bench into target/bench/ on first use).
BENCH_MODEL_CUSTOMERS ?= 100000,1000000

# The peers (benches/peers.py natively, benches/peers-browser.mjs in Chromium): polars and DuckDB in a virtual
# environment with the versions of benches/requirements.txt, DuckDB-WASM and PapaParse from package.json.
BENCH_VENV := target/bench-venv

bench: $(BENCH_FILE) $(BENCH_SUBSCRIPTION_FILE) www chromium $(BENCH_VENV)/.installed
	LTV_BENCH_FILE=$(BENCH_FILE) cargo bench --features bench --bench throughput
	LTV_BENCH_FILE=$(BENCH_SUBSCRIPTION_FILE) cargo bench --features bench --bench throughput
	LTV_BENCH_FILE=$(BENCH_FILE) cargo bench --features bench --bench partial
	cargo bench --features bench --bench recovery
	node benches/wasm.mjs $(BENCH_FILE)
	node benches/browser.mjs $(BENCH_FILE)
	LTV_BENCH_MODEL_CUSTOMERS=$(BENCH_MODEL_CUSTOMERS) cargo bench --features bench --bench models
	node benches/wasm.mjs --models $(foreach n,$(subst $(COMMA), ,$(BENCH_MODEL_CUSTOMERS)),target/bench/customers-$(n).csv)
	cargo build --release -p ltv-lens-cli
	$(BENCH_VENV)/bin/python benches/peers.py $(BENCH_FILE)
	node benches/peers-browser.mjs $(BENCH_FILE)

# The Python package on one generated history (benches/python.py): the CLI alone, ltv_lens.analyze in
# one process, and Spark local[1], local[2] and local[4] sharding it by customer; wall time and peak memory.
BENCH_HISTORY_CUSTOMERS ?= 200000
BENCH_HISTORY_FILE := target/bench/history-$(BENCH_HISTORY_CUSTOMERS).csv

bench-python: python-test $(BENCH_HISTORY_FILE)
	$(PY_VENV)/bin/python benches/python.py $(BENCH_HISTORY_FILE)

$(BENCH_HISTORY_FILE):
	mkdir -p target/bench
	cargo run --release --quiet -p ltv-lens-cli -- sample --customers $(BENCH_HISTORY_CUSTOMERS) --seed 3 -o $@

$(BENCH_VENV)/.installed: benches/requirements.txt
	[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r benches/requirements.txt
	touch $@

$(BENCH_FILE):
	mkdir -p target/bench
	cargo run --release --quiet -p ltv-lens-cli -- sample --customers $(BENCH_CUSTOMERS) --seed 1 -o $@

$(BENCH_SUBSCRIPTION_FILE):
	mkdir -p target/bench
	cargo run --release --quiet -p ltv-lens-cli -- sample --subscriptions --customers $(BENCH_SUBSCRIPTION_CUSTOMERS) --seed 1 -o $@

# Fuzzing (fuzz/, cargo-fuzz on the nightly toolchain): arbitrary bytes in arbitrary chunkings through the
# analyzer for FUZZ_SECONDS; the corpus is seeded from tests/fixtures and tests/bad_files. A crash stops
# the run with the input in fuzz/artifacts/analyzer/: copy it to tests/fuzz_crashers/ (replayed by
# `cargo test --test bad_files`) and fix it.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_CORPUS := fuzz/corpus/analyzer

fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	mkdir -p $(FUZZ_CORPUS)
	@# Seeds: control byte 0 (the file in one chunk) or 0x13 (3 chunk sizes, then byte by byte);
	@# the crashers are fuzz inputs already.
	for f in tests/fixtures/*.csv tests/bad_files/*; do \
	  { printf '\000'; cat "$$f"; } > $(FUZZ_CORPUS)/seed-0-$$(basename "$$f"); \
	  { printf '\023\007\001\375'; cat "$$f"; } > $(FUZZ_CORPUS)/seed-1-$$(basename "$$f"); \
	done
	cp tests/fuzz_crashers/*.bin $(FUZZ_CORPUS)/
	cd fuzz && cargo +nightly fuzz run analyzer corpus/analyzer -j $(FUZZ_JOBS) -- \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=140000 -timeout=20 -rss_limit_mb=4096

tools:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (takes a few minutes)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@# Japanese glyphs for legible screenshots of the Japanese UI (the tests themselves do not need them).
	@fc-list :lang=ja | grep -q . || { $(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-noto-cjk; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The npm package `ltv-lens`, assembled in the top-level pkg/: the binding (ltv_lens.js, ltv_lens_bg.wasm,
# ltv_lens.d.ts; wasm-bindgen, then wasm-opt from npm's binaryen with names and debug information stripped),
# the package's own modules from js/ (the API, the worker, the <ltv-lens> element and its views), ECharts
# bundled from its modular entry points with only the charts and components the views use (tools/echarts.js,
# esbuild) into pkg/vendor/, the Report's TypeScript declarations (schema/) and the licences.
WASM_FEATURES := --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int --enable-sign-ext
PACKAGE_VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

wasm: tools node_modules/.installed
	cargo build --release -p ltv-lens-wasm --target $(WASM_TARGET)
	rm -rf pkg
	wasm-bindgen --target web --out-dir pkg --out-name ltv_lens target/$(WASM_TARGET)/release/ltv_lens_wasm.wasm
	rm -f pkg/.gitignore pkg/package.json
	npx wasm-opt -O3 --strip-debug $(WASM_FEATURES) pkg/ltv_lens_bg.wasm -o pkg/ltv_lens_bg.wasm

package: wasm
	cp -r js/. pkg/
	sed 's/"version": "0.0.0"/"version": "$(PACKAGE_VERSION)"/' js/package.json > pkg/package.json
	cp schema/report.d.ts LICENSE-MIT LICENSE-APACHE pkg/
	npx esbuild tools/echarts.js --bundle --format=esm --minify --legal-comments=eof --log-level=warning --outfile=pkg/vendor/echarts.js

# The page: www/ with a copy of the package in www/pkg/ and the sample file; last, with every file in
# place, the service worker's list of files and build version (www/precache.js).
www: package
	rm -rf www/pkg
	cp -r pkg www/pkg
	mkdir -p www/sample
	cargo run --release --quiet -p ltv-lens-cli -- sample --customers 1500 --seed 1 -o $(SAMPLE)
	cargo run --release --quiet -p ltv-lens-cli -- sample --subscriptions --customers 800 --seed 1 -o www/sample/sample-subscriptions.csv
	node tools/precache.mjs www

clean:
	cargo clean
	rm -rf pkg www/pkg www/sample www/precache.js node_modules
