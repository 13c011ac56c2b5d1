# Build, serve and test LTV Lens. `make serve` and `make test` install what is missing.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION = $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SAMPLE := www/sample/sample-orders.csv

.PHONY: serve test bench tools chromium wasm www e2e lint clean

# tools/serve.py sends the headers of www/_headers (the Content-Security-Policy among them) on every
# response: the module worker takes its policy from its own response, not from the page's meta tag.
serve: www
	python3 tools/serve.py --bind 127.0.0.1 --port 8080 --directory www

test: tools chromium node_modules/.installed
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) -- -D warnings
	cargo test
	$(MAKE) www
	$(MAKE) e2e

e2e: node_modules/.installed
	cargo build --release --bin ltv-lens
	node --test tests/e2e/

BENCH_CUSTOMERS ?= 400000
BENCH_FILE := target/bench/orders-$(BENCH_CUSTOMERS).csv

bench: $(BENCH_FILE) www
	LTV_BENCH_FILE=$(BENCH_FILE) cargo bench --bench throughput
	node benches/wasm.mjs $(BENCH_FILE)

$(BENCH_FILE):
	mkdir -p target/bench
	cargo run --release --quiet --bin ltv-lens -- sample --customers $(BENCH_CUSTOMERS) --seed 1 -o $@

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

wasm: tools
	cargo build --release --lib --target $(WASM_TARGET)
	wasm-bindgen --target web --out-dir www/pkg target/$(WASM_TARGET)/release/ltv_lens.wasm

www: wasm node_modules/.installed
	mkdir -p www/vendor www/sample
	cp node_modules/echarts/dist/echarts.esm.min.js www/vendor/echarts.esm.min.js
	cargo run --release --quiet --bin ltv-lens -- sample --customers 1500 --seed 1 -o $(SAMPLE)

clean:
	cargo clean
	rm -rf www/pkg www/vendor www/sample node_modules
