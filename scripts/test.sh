#!/usr/bin/env bash
# The whole test suite: installs what is missing, starts a PostgreSQL, runs the Swift tests against
# SQLite and PostgreSQL, then the end-to-end tests against a running `vitrine serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo; echo "==> $1 ($(($(date +%s) - start)) s so far)"; }

step "Installing dependencies"
scripts/install-deps.sh --test

pgdir="${TMPDIR:-/tmp}/vitrine-test-pg-$$"
pgport=$((20000 + RANDOM % 20000))
trap 'scripts/postgres.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
step "Starting PostgreSQL on 127.0.0.1:$pgport"
export VITRINE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$pgdir" "$pgport")

step "Checking the layout (swift format, .swift-format)"
swift format lint --strict -r Sources Tests Package.swift && format_ok=1 || format_ok=0

step "Building"
t=$(date +%s)
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]' | grep -Ev '^(Building|Compiling plugin|Write swift-version)' || true
echo "build: $(($(date +%s) - t)) s"

step "Swift tests (SQLite and PostgreSQL)"
t=$(date +%s)
log=.build/swift-test.log
swift test --skip-build >"$log" 2>&1 && swift_ok=1 || swift_ok=0
# Each suite's time, every failure with its message, and swift-testing's closing line.
grep -E '(Suite .* (passed|failed) after|recorded an issue|Test run with|error:|Fatal error)' "$log" || true
[[ $swift_ok == 1 ]] || { echo "Swift tests failed; the last lines of $log:"; tail -n 40 "$log"; }
echo "swift tests: $(($(date +%s) - t)) s"

step "End-to-end tests (vitrine serve, schemathesis)"
t=$(date +%s)
export VITRINE_BIN="$(swift build --show-bin-path)/vitrine"
.build/test-venv/bin/pytest -q tests/e2e && e2e_ok=1 || e2e_ok=0
echo "end-to-end tests: $(($(date +%s) - t)) s"

step "Benchmarks at smoke size (figures in docs/benchmarks.md come from full runs)"
t=$(date +%s)
bench_ok=1
.build/test-venv/bin/python bench/live_latency.py --seconds 5 --loads 3 --player-seconds 5 || bench_ok=0
for server in vitrine naive; do
  .build/debug/vitrine bench live --server $server --viewers 300 --seconds 5 --chatters 30 --chat-rate 30 \
    --heart-rate 100 --pin-every 2 --probes 30 || bench_ok=0
done
# The flash sale: group commit and the naive design, on SQLite and on the test's PostgreSQL.
.build/debug/vitrine bench orders --orders 1000 --sold-out 300 --connections 32 || bench_ok=0
.build/debug/vitrine bench orders --orders 1000 --sold-out 300 --connections 32 \
  --postgres-url "$VITRINE_TEST_POSTGRES_URL" || bench_ok=0
echo "benchmarks: $(($(date +%s) - t)) s"

echo
echo "Total: $(($(date +%s) - start)) s"
[[ $format_ok == 1 ]] || echo "swift format found layout to fix: run swift format -i -r Sources Tests Package.swift"
[[ $swift_ok == 1 && $e2e_ok == 1 && $format_ok == 1 && $bench_ok == 1 ]]
