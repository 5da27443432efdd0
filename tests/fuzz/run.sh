#!/usr/bin/env bash
# Builds the libFuzzer targets with Clang in build-fuzz/ and runs each for a while.
#
#   bash tests/fuzz/run.sh [--seconds N] [--only a,b] [--jobs J] [--build-only]
#
# Each target fuzzes for N seconds (default 60), with its dictionary (dict/<name>.dict), from its
# committed corpus (tests/fuzz/corpus/<name>/, read only) and a scratch corpus
# (build-fuzz/corpus/<name>/, where new inputs go). A crash, leak, sanitizer report or timeout
# leaves its reproducer in build-fuzz/artifacts/<name>-*; the run then ends non-zero and names
# it. One summary line per target: runs, coverage (cov: edges, ft: features), result.
set -euo pipefail

seconds=60
only=""
jobs="${FUZZ_JOBS:-2}"
build_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build=build-fuzz

names=()
for source in tests/fuzz/fuzz_*.cpp; do
  name="$(basename "$source" .cpp)"
  names+=("${name#fuzz_}")
done
if [ -n "$only" ]; then
  IFS=, read -r -a wanted <<<"$only"
  for name in "${wanted[@]}"; do
    if [ ! -f "tests/fuzz/fuzz_$name.cpp" ]; then
      echo "run.sh: no target '$name' (targets: ${names[*]})" >&2
      exit 2
    fi
  done
  names=("${wanted[@]}")
fi

started=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DLAMBDA_EMU_FUZZ=ON -DLAMBDA_EMU_TESTS=ON \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" >/dev/null
targets=()
for name in "${names[@]}"; do targets+=("fuzz_$name"); done
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
echo "build: $(($(date +%s) - started)) s"
[ "$build_only" -eq 1 ] && exit 0

mkdir -p "$build/artifacts" "$build/logs"
failed=()
for name in "${names[@]}"; do
  scratch="$build/corpus/$name"
  log="$build/logs/$name.log"
  mkdir -p "$scratch"
  dict=()
  if [ -f "tests/fuzz/dict/$name.dict" ]; then dict=(-dict="tests/fuzz/dict/$name.dict"); fi
  status=0
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1 "${dict[@]}" \
    "$scratch" "tests/fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  # The last status line: "#12345 REDUCE cov: 678 ft: 901 corp: ..."
  coverage="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)"
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    reproducer="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
    result="FAILED (exit $status) reproducer: ${reproducer:-none, see $log}"
    failed+=("$name")
  fi
  printf '%-16s runs: %-9s %-22s %s\n' "$name" "${runs:-?}" "${coverage:-cov: ?}" "$result"
done

if [ "${#failed[@]}" -gt 0 ]; then
  for name in "${failed[@]}"; do
    echo "---- $name: the end of $build/logs/$name.log"
    tail -n 40 "$build/logs/$name.log"
  done
  exit 1
fi
