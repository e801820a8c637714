# Front door. `make test` and `make run` install what is missing, configure, build, run.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build test test-sanitize run cluster cluster-stop bench bench-gateway fuzz format check-format postgres clean

all: build

deps:
	bash scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	bash scripts/run-tests.sh $(BUILD_DIR)

# Every suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B build-sanitize -G Ninja -DOPP_SANITIZE=ON -DOPP_BENCH=OFF
	cmake --build build-sanitize -j$(JOBS)
	bash scripts/run-tests.sh build-sanitize

run: build
	bash scripts/run-platform.sh $(BUILD_DIR)

# etcd, Redis, PostgreSQL, two payment servers and two gateways on loopback (var/cluster/).
cluster: build
	bash scripts/cluster.sh start $(BUILD_DIR)

cluster-stop:
	bash scripts/cluster.sh stop

bench: build
	bash scripts/run-benchmarks.sh $(BUILD_DIR)

# End to end: wrk -> opp-gateway -> Thrift backends, beside the perf floor (Release build in
# build-bench/; results in build-bench/gateway-bench/RESULTS.md). REPS=3 by default.
bench-gateway: deps
	bash tests/bench/gateway/bench.sh $(REPS)

# make fuzz TARGET=idl_parser_fuzz SECONDS=600
fuzz: deps
	bash scripts/fuzz.sh $(TARGET) $(SECONDS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

check-format:
	bash scripts/check-format.sh

postgres: deps
	bash scripts/start-postgres.sh

clean:
	rm -rf $(BUILD_DIR) build-sanitize build-fuzz
