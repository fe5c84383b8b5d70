# The two commands of the README, and the developer targets around them.
#   make run    installs what is missing, builds, and runs stackshift on the bundled example
#   make test   installs what is missing, builds, and runs every test under ASan+UBSan (and the
#               unit tests on the Release build that `make run` uses)
JOBS ?= 2
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
CMAKE_FLAGS ?=

.PHONY: all setup build run demo bench-apply test test-release test-sanitize test-all-release fuzz bench bench-cdk clean

all: build

setup:
	@scripts/setup-debian.sh build test

CONFIGURE_RELEASE = cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKSHIFT_BENCH=OFF $(CMAKE_FLAGS)

build: setup
	$(CONFIGURE_RELEASE)
	cmake --build $(BUILD) -j$(JOBS)

# The main job on the bundled example: the runbook of an upgrade of the acme-prod deployment
# from 3.14.2 to 3.30.2 (three hops). Exit code 3 means "the plan needs input or an
# acknowledgement", which is what this example shows; then the same plan with the values and
# the acknowledgement it asks for, ready to apply.
PLAN_EXAMPLE = ./$(BUILD)/stackshift plan --deployment examples/deployment/acme-prod-3.14.2.json \
  --releases examples/releases --to 3.30.2
run: build
	$(PLAN_EXAMPLE) || test $$? -eq 3
	$(PLAN_EXAMPLE) --values examples/values-3.30.2.yaml \
	  --allow-replace acme-prod-2-5-db-timescale/Volume --allow-replace acme-prod-4-1-secrets/InteropTLSSecret \
	  --output markdown --out $(BUILD)/plan-3.30.2.md
	@echo "the ready-to-apply runbook for a change ticket: $(BUILD)/plan-3.30.2.md"

# The whole upgrade of the bundled example rehearsed in the simulated AWS, from plan to done:
# a fresh world from the 3.14.2 snapshot, the runbook, the apply with its progress, the world.
DEMO_DIR = $(BUILD)/demo
# What --yes does not accept, confirmed by name as the runbook lists them: the machines terminated
# or refreshed, the manual backups, the stack deleted. The demo's operator did the backups.
DEMO_CONFIRM = h1-10-terminate-instance-2-5-db-timescale-Instance h1-16-refresh-instances-5-1-ecs-cluster-machines \
  h2-06-manual-2-5-db-timescale h2-08-manual-4-1-secrets-InteropTLSSecret h2-13-refresh-instances-5-1-ecs-cluster-machines \
  h2-23-delete-stack-6-1-vpc-peering h3-13-refresh-instances-5-1-ecs-cluster-machines
demo: build
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	./$(BUILD)/stackshift sim init --deployment examples/deployment/acme-prod-3.14.2.json --out $(DEMO_DIR)/world.json
	./$(BUILD)/stackshift plan --backend sim:$(DEMO_DIR)/world.json --releases examples/releases --to 3.30.2 \
	  --values examples/values-3.30.2.yaml --allow-replace acme-prod-2-5-db-timescale/Volume \
	  --allow-replace acme-prod-4-1-secrets/InteropTLSSecret
	./$(BUILD)/stackshift apply --backend sim:$(DEMO_DIR)/world.json --journal $(DEMO_DIR)/journal.db \
	  --releases examples/releases --to 3.30.2 --values examples/values-3.30.2.yaml \
	  --allow-replace acme-prod-2-5-db-timescale/Volume --allow-replace acme-prod-4-1-secrets/InteropTLSSecret --yes \
	  $(foreach step,$(DEMO_CONFIRM),--confirm $(step))
	./$(BUILD)/stackshift sim status $(DEMO_DIR)/world.json
	./$(BUILD)/stackshift journal --journal $(DEMO_DIR)/journal.db

# The tool's own overhead on full simulated upgrades, and API calls per stack update.
bench-apply: build
	python3 bench/apply_bench.py ./$(BUILD)/stackshift 5

# The tests' temporary folders live in memory where the machine has /dev/shm: the journal syncs
# every write to disk (synchronous=FULL), and on a virtual disk the crash test's thousands of
# syncs, not its work, would set the pace. A SIGKILL, the crash the tests make, loses nothing
# that the page cache holds.
TEST_TMPDIR ?= $(if $(wildcard /dev/shm/.),/dev/shm,/tmp)

# Two builds: the Release build `make run` uses, where the fast unit tests run; and one
# sanitized build (ASan+UBSan at -O1) that runs the whole suite, end-to-end tests first.
test: test-release test-sanitize

test-release: setup
	$(CONFIGURE_RELEASE)
	cmake --build $(BUILD) -j$(JOBS) --target stackshift unit_tests
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -L unit

test-sanitize: setup
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTACKSHIFT_SANITIZE=ON -DSTACKSHIFT_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && TMPDIR=$(TEST_TMPDIR) ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS) --output-junit skipped-report.xml
	@python3 scripts/report_skipped.py $(ASAN_BUILD)/skipped-report.xml

# Every test on the Release build (quicker to rebuild while developing).
test-all-release: build
	cd $(BUILD) && TMPDIR=$(TEST_TMPDIR) ctest --output-on-failure -j$(JOBS)

# A short libFuzzer run of every target; new crashers land in fuzz/artifacts/. The LSan
# suppression file silences one known leak inside libfyaml.so (see fuzz/lsan.supp); it applies
# to fuzz runs only.
FUZZ_SECONDS ?= 60
FUZZ_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=fuzz/artifacts/
fuzz:
	@scripts/setup-debian.sh fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTACKSHIFT_FUZZ=ON \
	  -DSTACKSHIFT_TESTS=OFF -DSTACKSHIFT_BENCH=OFF
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_template_loader fuzz_yaml_differential \
	  fuzz_changelog_reader fuzz_notes_reader
	mkdir -p fuzz/artifacts fuzz/work-corpus/loader fuzz/work-corpus/yaml fuzz/work-corpus/changelog fuzz/work-corpus/notes
	$(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz/fuzz_template_loader $(FUZZ_FLAGS) -max_len=65536 \
	  -dict=fuzz/cfn.dict fuzz/work-corpus/loader fuzz/corpus/loader fuzz/regressions/loader
	$(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz/fuzz_yaml_differential $(FUZZ_FLAGS) -max_len=16384 \
	  -dict=fuzz/cfn.dict fuzz/work-corpus/yaml tests/data/templates examples/diff fuzz/regressions/yaml
	$(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz/fuzz_changelog_reader $(FUZZ_FLAGS) -max_len=32768 \
	  fuzz/work-corpus/changelog fuzz/corpus/changelog
	$(FUZZ_ENV) ./$(FUZZ_BUILD)/fuzz/fuzz_notes_reader $(FUZZ_FLAGS) -max_len=32768 \
	  fuzz/work-corpus/notes fuzz/corpus/notes

bench:
	@scripts/setup-debian.sh bench
	cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTACKSHIFT_TESTS=OFF -DSTACKSHIFT_BENCH=ON
	cmake --build $(BUILD)-bench -j$(JOBS)
	python3 bench/gen_pairs.py bench/pairs
	./$(BUILD)-bench/bench/bench_diff --pairs bench/pairs

bench-cdk: bench
	bench/compare_cdk.sh ./$(BUILD)-bench/stackshift

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(BUILD)-bench
