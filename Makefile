# The two commands of the README, over CMake presets:
#   make run   installs the dependencies, builds, and runs the main job (the
#              tour of the worked examples, then the command line: derivatives,
#              critical points, minimization compared across methods, a picture)
#   make test  installs the dependencies, builds, and runs every test
#              (an optimized build of everything with the tests that need
#              it, then every test under ASan and UBSan)
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
	@echo; echo '== a seed function: its Hessian, critical points, minimization by several methods, a picture'
	./build/release/cli/nabla hessian "x^3 - 3*x + y^2"
	./build/release/cli/nabla critical "x^3 - 3*x + y^2" --box -3:3,-3:3
	./build/release/cli/nabla minimize "100*(y - x^2)^2 + (1 - x)^2" --from -1.2,1 \
	  --method gd,momentum,nesterov,adam,newton,bfgs,lbfgs --lr 0.001 --max-iter 20000
	./build/release/cli/nabla plot "100*(y - x^2)^2 + (1 - x)^2" --box -2:2,-1:3 --gradient \
	  --paths gd,momentum,adam,lbfgs --from -1.2,1 --lr 0.001 --max-iter 20000 -o build/rosenbrock.svg
	@echo; echo '== a network trained by backpropagation on a bundled dataset (data/digits.csv)'
	./build/release/cli/nabla train data/digits.csv --model mlp:128 --optimizer adam --lr 0.001 --epochs 30 \
	  --save build/digits.nbl
	./build/release/cli/nabla evaluate build/digits.nbl data/digits.csv

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
