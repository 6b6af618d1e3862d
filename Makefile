# The two commands of the README, over CMake presets:
#   make run   installs the dependencies, builds, and runs the main job
#   make test  installs the dependencies, builds, and runs every test
#              (an optimized pass, then a pass under ASan and UBSan)
.PHONY: run test deps build test-release test-sanitize bench format lint clean

JOBS ?= $(shell nproc)

deps:
	bash scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: build
	./build/release/examples/tour

test-release: build
	ctest --preset release

test-sanitize: deps
	cmake --preset sanitize
	cmake --build --preset sanitize -j $(JOBS)
	ctest --preset sanitize

test: test-release test-sanitize
	bash scripts/check-format.sh

bench: build
	bash bench/run.sh

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

lint: build
	clang-tidy -p build/release --quiet $$(git ls-files 'src/*.cpp' 'examples/*.cpp')

clean:
	rm -rf build
