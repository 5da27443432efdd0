#!/usr/bin/env bash
# lambda-emu's soak run (issue 9; bench/README.md, section "Soak"): configures the release build
# in build-bench/ as bench/run.sh does, builds lambda-emu and the C++ example bootstrap, then
# drives `lambda-emu serve` for N minutes with a mixed load (warm, cold, crash, timeout, OOM,
# 5 MB payloads) and checks that nothing is answered twice or lost and that serve's RSS and
# descriptors stay flat. Not part of the test suite.
#
#   bash bench/soak.sh                      # 10 minutes
#   bash bench/soak.sh --minutes 1          # a short run
#   bash bench/soak.sh --json soak.json     # also write every figure as JSON
#   (also passed on to bench/soak.py: --threads K, --rate R, --drain S, --seed N, --mix W)
#
# Loopback only; bounded in time (killed after N x 110 s + 2 min at most); exit status 0 when
# every check passes, 1 when one fails, 2 on bad usage, 130 when interrupted.
# LAMBDA_EMU_BENCH_BUILD_DIR overrides the build directory.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LAMBDA_EMU_BENCH_BUILD_DIR:-$root/build-bench}"

minutes=10
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes|--json|--threads|--rate|--drain|--seed|--mix)
      [ $# -ge 2 ] || { echo "bench/soak.sh: $1 needs a value" >&2; exit 2; }
      [ "$1" = --minutes ] && minutes="$2"
      args+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench/soak.sh: unknown argument '$1' (known: --minutes N, --json FILE," \
            "--threads K, --rate R, --drain S, --seed N, --mix W)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "bench/soak.sh: --minutes takes a number" >&2; exit 2; }

. "$root/bench/build.sh"
build_bench soak lambda-emu example_cpp_bootstrap

# Each minute of load is followed by a pause (drain, at most 30 s, and rest, at most 16 s);
# plus set-up and stop: the run is killed if it takes longer than that.
limit=$(python3 -c "import math,sys; print(math.ceil(float(sys.argv[1])) * 110 + 120)" "$minutes")
exec timeout --kill-after=10 "$limit" python3 "$root/bench/soak.py" \
  --lambda-emu "$build/lambda-emu" \
  --bootstrap "$build/examples/cpp/bootstrap" \
  --work-dir "$build/soak-work" \
  "${args[@]}"
