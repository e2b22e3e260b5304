#!/usr/bin/env bash
# Builds zonegen (with the tests) in every CMake build type with GCC and clang, warnings as
# errors: what a user might configure must build. Usage: build-matrix.sh [OUTDIR]
# Not part of scripts/test.sh (eight builds take longer than the suite); run it after a
# change to the build or to code GCC and clang might warn about differently.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build-matrix}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out"
failed=()
for cc in gcc clang; do
  case $cc in gcc) cxx=g++ ;; clang) cxx=clang++ ;; esac
  for type in Debug RelWithDebInfo Release MinSizeRel; do
    dir="$out/$cc-$type"
    printf '%-6s %-15s ' "$cc" "$type"
    if CC=$cc CXX=$cxx cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DZONEGEN_WERROR=ON \
         >"$dir.log" 2>&1 && cmake --build "$dir" -j "$jobs" >>"$dir.log" 2>&1; then
      echo ok
    else
      echo "FAILED (see $dir.log)"
      failed+=("$cc-$type")
    fi
  done
done
((${#failed[@]} == 0)) || { echo "failed: ${failed[*]}"; exit 1; }
echo "all build types build with gcc and clang"
