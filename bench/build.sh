# Sourced by bench/run.sh and bench/soak.sh: configures the release build in $build (unity,
# RelWithDebInfo, with the harness) and builds the given targets, logs in $build/NAME-*.log.
#   build_bench NAME TARGET...
build_bench() {
  local name="$1"; shift
  mkdir -p "$build"
  echo "$name: configuring $build (release, unity build)"
  if ! cmake -S "$root" -B "$build" -G Ninja -DCMAKE_UNITY_BUILD=ON -DLAMBDA_EMU_TESTS=OFF \
       -DLAMBDA_EMU_BENCH=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/$name-configure.log" 2>&1; then
    cat "$build/$name-configure.log" >&2
    exit 1
  fi
  echo "$name: building $*"
  if ! cmake --build "$build" --target "$@" >"$build/$name-build.log" 2>&1; then
    tail -50 "$build/$name-build.log" >&2
    exit 1
  fi
}
