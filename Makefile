# The two commands of the README, and a few more for development.
#   make demo    build everything and run the main job
#   make test    build everything and run every test (what CI runs)
# Each first installs what is missing (scripts/bootstrap.sh).
SHELL := /bin/bash
export NODE_PATH := /usr/share/nodejs
PRESET ?= default
CMAKE_FLAGS :=
ifeq ($(CI),true)
CMAKE_FLAGS += -DLAZYLINK_WERROR=ON
endif

.PHONY: all demo demo-headless test build bootstrap bench clean
all: build

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	@echo "[build] configuring (preset $(PRESET))"
	@cmake --preset $(PRESET) $(CMAKE_FLAGS) >/dev/null
	@echo "[build] building the native core, CLI, tests and the Emscripten configuration"
	@cmake --build --preset $(PRESET)

test: build
	@scripts/run_tests.sh $(PRESET)

demo: build
	@scripts/demo.sh

demo-headless: build
	@scripts/demo.sh --headless

bench: build
	@scripts/bench.sh

clean:
	rm -rf build build-native
