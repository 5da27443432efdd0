#!/usr/bin/env bash
# lambda-emu's benchmark (issue 8; bench/README.md): configures a release build in build-bench/,
# builds lambda-emu, the echo runtime and the harness, runs every scenario against its floor,
# prints the table and writes build-bench/bench-results.json.
#
#   bash bench/run.sh            # the full run (a few minutes)
#   bash bench/run.sh --quick    # small counts: a smoke run of every scenario in seconds
#   bash bench/run.sh --only 1,5 # some scenarios only (with --quick or not)
#
# Loopback only; every count and wait is bounded, and the harness stops every process it started
# (lambda-emu serve, the floor server, runtimes) before it exits, also on Ctrl-C.
# LAMBDA_EMU_BENCH_BUILD_DIR overrides the build directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LAMBDA_EMU_BENCH_BUILD_DIR:-$root/build-bench}"

args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) args+=(--quick) ;;
    --only) [ $# -ge 2 ] || { echo "bench/run.sh: --only needs a list, e.g. --only 1,5" >&2; exit 2; }
            args+=(--only "$2"); shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1' (known: --quick, --only LIST)" >&2; exit 2 ;;
  esac
  shift
done

. "$root/bench/build.sh"
build_bench bench lambda-emu-bench

limit=1800
[[ " ${args[*]-} " == *" --quick "* ]] && limit=300
exec timeout --kill-after=10 "$limit" "$build/bench/lambda-emu-bench" \
  --lambda-emu "$build/lambda-emu" \
  --runtime "$build/bench/echo/bootstrap" \
  --work-dir "$build/bench-work" \
  --json "$build/bench-results.json" \
  "${args[@]}"
