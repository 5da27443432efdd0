#!/usr/bin/env bash
# Set-up for a fresh Debian 12 machine, as root: install what is missing, build, then
#   demo  run `lambda-emu invoke --event fixtures/apigw.json` on the C++ example handler
#   test  the same, then the whole test suite: the concurrent parts under TSan, everything under
#         ASan+UBSan, a short run of each libFuzzer target (Clang), then the accuracy tests in
#         the release build, ending with ctest's summary
set -euo pipefail
mode="${1:-demo}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(build-essential cmake ninja-build pkg-config git curl python3
          libcpp-httplib-dev nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev)
if [ "$mode" = test ]; then
  # Real third-party clients for the tests: AWS's Node runtime interface client builds a native
  # addon (autoconf ... libcurl), installed from npm into the build tree.
  packages+=(nodejs npm autoconf automake libtool libcurl4-openssl-dev)
  # Debian's Rust toolchain builds the Rust example, whose README and test cases the suite runs.
  packages+=(cargo)
  # Clang and its libFuzzer runtime (a recommendation of clang's, so named) for the fuzz smoke run.
  packages+=(clang libclang-rt-14-dev)
fi
missing=()
for p in "${packages[@]}"; do
  # A Node.js that ships its own npm (as NodeSource's does) conflicts with Debian's npm package.
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=2
# Line tables rather than full debug information, and unity builds (each target's sources
# compiled a batch at a time): the same code, built in a third of the time.
unity=(-DCMAKE_UNITY_BUILD=ON)
release=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" "${unity[@]}")
build() {  # build DIR [cmake args...]
  local dir="$1"; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

demo() {
  echo "\$ lambda-emu invoke --event fixtures/apigw.json build/examples/cpp/bootstrap"
  build/lambda-emu invoke --event fixtures/apigw.json build/examples/cpp/bootstrap
}

case "$mode" in
  demo)
    build build -DLAMBDA_EMU_TESTS=OFF "${release[@]}"
    demo
    ;;
  test)
    # The sanitizer builds share one npm install and compiled Rust example.
    shared=(-DLAMBDA_EMU_NODE_DIR="$root/build/node"
            -DLAMBDA_EMU_CARGO_TARGET_DIR="$root/build/examples/rust/target"
            -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 "${unity[@]}")
    asan=(-DLAMBDA_EMU_SANITIZE=address,undefined "${shared[@]}")
    # The release build: lambda-emu, the examples and the accuracy tests (which time the
    # function, so they run on the optimised binary); the whole suite runs under ASan+UBSan.
    cmake -S . -B build -G Ninja -DLAMBDA_EMU_TESTS=ON "${release[@]}" >/dev/null
    cmake -S . -B build-asan -G Ninja "${asan[@]}" >/dev/null
    # The npm install (downloads, and a native addon) runs while the release build compiles.
    npm_pid=""
    if cmake --build build-asan --target help | grep -q '^node_ric_install:'; then
      cmake --build build-asan --target node_ric_install >build-asan/node-install.log 2>&1 &
      npm_pid=$!
    fi
    targets=(lambda-emu example_cpp_bootstrap accuracy_test)
    # The examples that README commands and test cases run from build/.
    targets+=(example_rust_bootstrap example_bench_cpp_health example_bench_cpp_fib
              example_bench_rust example_log_forwarder)
    cmake --build build -j "$jobs" --target "${targets[@]}"
    demo
    # ThreadSanitizer for the concurrent parts: the exchange, the servers, the supervisor, the
    # watcher, telemetry delivery, extensions, and the pools behind serve and watch (the binary
    # itself runs instrumented under the serve, HTTP front-end, watch and extension tests). Its
    # build comes while the npm install may still run; the ASan build, which needs it, after.
    cmake -S . -B build-tsan -G Ninja -DLAMBDA_EMU_SANITIZE=thread "${shared[@]}" >/dev/null
    cmake --build build-tsan -j "$jobs" --target lambda-emu example_cpp_bootstrap core_test \
      runtime_api_test supervisor_test frontend_test watch_test telemetry_test \
      example_log_forwarder e2e_concurrency_test
    if [ -n "$npm_pid" ] && ! wait "$npm_pid"; then
      cat build-asan/node-install.log
      exit 1
    fi
    build build-asan "${asan[@]}"
    # The libFuzzer targets (Clang, tests/fuzz/) build at the lowest priority in the background,
    # on the CPU the test runs below leave idle; their smoke run comes last.
    nice -n 19 bash tests/fuzz/run.sh --build-only --jobs 1 >build-asan/fuzz-build.log 2>&1 &
    fuzz_build_pid=$!
    echo "== concurrent parts under TSan"
    TSAN_OPTIONS="halt_on_error=1 suppressions=$root/tests/tsan.supp" \
      ctest --test-dir build-tsan -j "$jobs" --output-on-failure \
      -R '^(core_test|runtime_api_test|supervisor_test|frontend_test|watch_test|telemetry_test)$|^e2e_concurrency_test\.(Serve|Gateway|GatewayStreaming|Watch|Extensions)\.'
    echo "== test suite under ASan+UBSan (the accuracy tests run in the release build)"
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      ctest --test-dir build-asan -j "$jobs" -E '^accuracy_test\.' --output-on-failure
    # The fuzz build is done before the smoke run and the accuracy tests, which time functions.
    if ! wait "$fuzz_build_pid"; then
      cat build-asan/fuzz-build.log
      exit 1
    fi
    echo "== fuzz smoke run: each libFuzzer target for 3 s (tests/fuzz/README.md)"
    FUZZ_JOBS="$jobs" bash tests/fuzz/run.sh --seconds 3
    echo "== accuracy tests, release build"
    ctest --test-dir build -j "$jobs" -R '^accuracy_test\.' --output-on-failure
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
