# The two commands of the README, over CMake presets:
#   make run   installs the dependencies, builds, and runs the main job (the
#              tour of the worked examples, then the command line)
#   make test  installs the dependencies, builds, and runs every test
#              (an optimized pass, then a pass under ASan and UBSan)
.PHONY: run test deps build test-release test-sanitize bench format lint clean

JOBS ?= $(shell nproc)

deps:
	bash scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target tour nabla_cli
	./build/release/examples/tour
	@echo; echo '== the nabla command line'
	./build/release/cli/nabla diff "x^4 - 4*x^3 + 4*x^2"
	./build/release/cli/nabla grad "x^2*y + exp(x*y)" --at x=1,y=2
	./build/release/cli/nabla check "x^x*atan2(y, x)" --at x=1.5,y=0.5

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
