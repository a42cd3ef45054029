# OpenMSO: `make run` (install, build, serve the demo) and `make test` (everything).
.PHONY: all deps build run test bench clean

BUILD_DIR ?= build
export BUILD_DIR

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@scripts/build.sh

run: build
	@mkdir -p var
	@echo "==> starting OpenMSO on http://127.0.0.1:$${OPENMSO_PORT:-8080}  (Ctrl-C to stop)"
	@OPENMSO_STATIC_DIR=$${OPENMSO_STATIC_DIR:-web/dist} $(BUILD_DIR)/src/app/openmso serve --demo

test: build
	@scripts/test.sh

bench: deps
	@BUILD_DIR=build-release BUILD_TYPE=Release scripts/build.sh
	@bench/run.sh

clean:
	rm -rf $(BUILD_DIR) build-release web/dist
