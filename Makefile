# Duet: `make run` and `make test` are the README's commands; both install what is missing.

SHELL := /bin/bash

# The Debian packages Duet needs: OpenBLAS (GEMM, loaded at run time), ncurses and
# libedit (TUI and REPL), tmux (end-to-end TUI tests), python3-venv (interop tests, peer benchmarks).
DEBIAN_PACKAGES := libopenblas-dev libncurses-dev libedit-dev zlib1g-dev tmux python3-venv
# Open MPI's mpirun and libmpi (loaded at run time) for the distributed tests: installed by
# `make test` only, so the first `make run` does not wait for them (a single process never uses MPI).
MPI_PACKAGES := openmpi-bin

ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

.PHONY: deps venv build test run bench fuzz clean

## deps: install the Debian packages that are missing (apt-get, with sudo when not root)
deps:
	@command -v swift >/dev/null 2>&1 || { echo "deps: swift not found: install Swift 6 (e.g. at /opt/swift)" >&2; exit 1; }
	@if ! command -v dpkg >/dev/null 2>&1; then \
		echo "deps: not a Debian system; install OpenBLAS, ncursesw and libedit yourself"; exit 0; \
	fi; \
	missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg -s $$p 2>/dev/null | grep -q "^Status: install ok installed" || missing="$$missing $$p"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "deps: missing:$$missing; run make as root or install sudo" >&2; exit 1; fi; \
	echo "deps: installing$$missing"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing \
		|| { echo "deps: could not install$$missing (apt-get failed; see above)" >&2; exit 1; }

## venv: the Python virtual environment the interop tests read and write files with (never the
## system Python); made or completed only when a package is missing. A failure is reported but not
## fatal: the interop tests then say they were skipped and why, and fail when CI is set.
VENV := .build-venv
VENV_PACKAGES := numpy safetensors scikit-learn onnx onnxruntime
VENV_MODULES := numpy safetensors sklearn onnx onnxruntime

venv: deps
	@missing=$$($(VENV)/bin/python -c "import importlib.util as u; print(*[m for m in '$(VENV_MODULES)'.split() if u.find_spec(m) is None])" 2>/dev/null) \
		&& [ -z "$$missing" ] && exit 0; \
	echo "venv: installing $(VENV_PACKAGES) into $(VENV)"; \
	{ [ -x $(VENV)/bin/pip ] || python3 -m venv --clear $(VENV); } \
		&& $(VENV)/bin/pip install --quiet --disable-pip-version-check $(VENV_PACKAGES) \
		|| echo "venv: could not set up $(VENV) (see above); the Python interop tests will be skipped, or fail under CI" >&2

## One set of flags for every target, so `make test` and `make run` share one build instead of
## each rebuilding the other's (-enable-testing lets tests use @testable in release).
SWIFT_FLAGS := -c release -Xswiftc -enable-testing

## build: only the duet product, so the first `make run` never builds SwiftNIO (duet-serve is
## built by `make test`, or by `duet serve` on first use).
build: deps
	swift build $(SWIFT_FLAGS) --product duet

## test: the whole suite on optimized code.
## DuetTUITests includes the end-to-end workbench test, which drives the built duet in tmux.
## Swift Testing already runs tests in parallel; --parallel only affects XCTest, so it is not passed.
test: DEBIAN_PACKAGES += $(MPI_PACKAGES)
test: deps venv
	@start=$$(date +%s); status=0; \
	swift test $(SWIFT_FLAGS) || status=$$?; \
	for nb in notebooks/*.duet; do \
		ranks=$$(grep -m1 -o 'duet run -n [0-9]*' "$$nb" | grep -o '[0-9]*$$'); \
		echo "duet run $${ranks:+-n $$ranks }--check $$nb"; \
		.build/release/duet run $${ranks:+-n $$ranks} --check "$$nb" >/dev/null || status=1; \
	done; \
	echo "make test took $$(( $$(date +%s) - start )) s"; \
	exit $$status

## run: the workbench with the spirals notebook loaded and its first three cells (data, model,
## training) run, so the curves move right away; F5 runs the next cell.
run: build
	.build/release/duet doctor
	.build/release/duet --load notebooks/03-train-mlp.duet --run 3

## bench: `duet bench` on the release build; BENCH_ARGS passes options, e.g. BENCH_ARGS="--vs torch"
bench: build
	.build/release/duet bench $(BENCH_ARGS)

## fuzz: the coverage-guided fuzzer in fuzz/ (libFuzzer over what `duet run` does) for FUZZ_SECONDS.
## It starts from the corpus scripts and notebooks; inputs that reach new code go to fuzz/corpus
## (minimized after the run), crashes to fuzz/crashes, and the log's tail to fuzz/last-run.log.
## The linker is lld: gold fails on the fuzzer's entry point.
FUZZ_SECONDS ?= 60
FUZZ := fuzz/.build/release/DuetFuzz
fuzz: deps
	@mkdir -p fuzz/.build fuzz/corpus fuzz/crashes
	@printf '{"schemaVersion": "1.0", "linker": {"path": "%s"}}\n' "$$(command -v ld.lld)" > fuzz/.build/toolset.json
	swift build --package-path fuzz -c release --toolset fuzz/.build/toolset.json -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
	@$(FUZZ) fuzz/corpus Tests/Corpus notebooks -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=30 -rss_limit_mb=4096 \
		-artifact_prefix=fuzz/crashes/ -print_final_stats=1 > fuzz/.build/run.log 2>&1; status=$$?; \
	grep -v -e '^"' -e 'recommended dictionary' fuzz/.build/run.log | tail -n 40 > fuzz/last-run.log; cat fuzz/last-run.log; \
	rm -rf fuzz/.build/corpus.min && mkdir fuzz/.build/corpus.min \
		&& $(FUZZ) -merge=1 fuzz/.build/corpus.min fuzz/corpus > /dev/null 2>&1 \
		&& rm -rf fuzz/corpus && mv fuzz/.build/corpus.min fuzz/corpus; \
	echo "fuzz: $$(ls fuzz/corpus | wc -l) inputs in fuzz/corpus, $$(ls fuzz/crashes | wc -l) crashes in fuzz/crashes"; \
	exit $$status

clean:
	rm -rf .build
