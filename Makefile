# Vigie — the README quotes these targets. Everything a fresh machine needs is installed by them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO          ?= go
BIN         := $(CURDIR)/bin
VIGIE       := $(BIN)/vigie
STATICCHECK := $(BIN)/staticcheck
STATICCHECK_VERSION := v0.8.2
FUZZTIME    ?= 5s
DEMO_FILES  := $(wildcard examples/*.txt examples/*.jsonl examples/*.json examples/*.zip) examples/sextortion_fr_instagram
DEMO_REPORT := out/demo-report.html
# Packages with goroutines or shared state: run under the race detector.
RACE_PKGS   ?= ./corpus/... ./features/... ./models/... ./detect/...

.PHONY: all build demo deps test vet lint unit pyunit race fuzz-smoke contract browser-test onnxruntime bench clean

all: build

build:
	$(GO) build -o $(VIGIE) ./cmd/vigie

# ONNX Runtime's shared library, installed into the user cache (not the repo); prints its path.
onnxruntime:
	@bash scripts/install-onnxruntime.sh

# The README's first command: install what is needed and run Vigie on the committed example chats.
demo: build
	@echo "== vigie parse examples/ (canonical JSONL)"
	@for f in $(DEMO_FILES); do $(VIGIE) parse -q "$$f" | head -c 600; echo; echo; done
	@$(VIGIE) parse $(DEMO_FILES) > /dev/null
	@mkdir -p $(dir $(DEMO_REPORT))
	@echo "== vigie score examples/ (verdicts, then the HTML report)"
	@ONNXRUNTIME_LIB="$${ONNXRUNTIME_LIB:-$$(bash scripts/install-onnxruntime.sh 2>/dev/null | tail -n 1 || true)}" \
		$(VIGIE) score --fail-on none $(if $(VIGIE_MODEL),--model $(VIGIE_MODEL)) --html $(DEMO_REPORT) $(DEMO_FILES)
	@echo "== open $(DEMO_REPORT) in a browser (it is one self-contained file; it prints well)"

# The README's second command: everything CI checks.
test: deps vet lint unit pyunit race fuzz-smoke contract browser-test
	@echo "make test: all checks passed"

# System tools the tests need (chromium, nats-server, xz, python3), installed with apt-get when missing.
deps:
	@bash scripts/install-system-deps.sh

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }

$(STATICCHECK):
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

lint: $(STATICCHECK)
	$(STATICCHECK) ./...

unit:
	ONNXRUNTIME_LIB="$$(bash scripts/install-onnxruntime.sh | tail -n 1)" VIGIE_REQUIRE_ONNX=1 $(GO) test -count=1 ./...

# The Python tools' tests: bench/seeds (standard library only) and bench/baselines (numpy and
# scikit-learn, Debian python3-sklearn; skipped with a message when missing).
pyunit:
	cd bench/seeds && /usr/bin/python3 -m unittest -q test_compare test_ensemble test_halves
	@if /usr/bin/python3 -c 'import numpy, sklearn' 2>/dev/null; then \
		(cd bench/baselines && /usr/bin/python3 -m unittest -q test_common test_paired) && \
		(cd bench/seeds && /usr/bin/python3 -m unittest -q test_svm_folds); \
	else echo "pyunit: numpy or scikit-learn missing (Debian python3-sklearn): bench/baselines tests skipped"; fi

race:
	ONNXRUNTIME_LIB="$$(bash scripts/install-onnxruntime.sh | tail -n 1)" VIGIE_REQUIRE_ONNX=1 $(GO) test -count=1 -race $(RACE_PKGS)

fuzz-smoke:
	FUZZTIME=$(FUZZTIME) bash scripts/fuzz-smoke.sh

# The command-line contract that evaluations rely on (shared/tools/check-contract), once `vigie score` exists.
contract: build
	@if $(VIGIE) score -h >/dev/null 2>&1; then ../shared/tools/check-contract $(VIGIE); else echo "contract: vigie score not built yet, skipped"; fi

# The HTML evidence report in a real headless browser (Debian chromium): screenshot, console errors,
# chart, highlighted evidence count = the JSON's. VIGIE_MODEL=file scores with another model.
browser-test: build
	@VIGIE_MODEL="$(VIGIE_MODEL)" bash scripts/browser-test.sh $(VIGIE)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./features/... ./models/... ./bench/...

clean:
	rm -rf $(BIN)
