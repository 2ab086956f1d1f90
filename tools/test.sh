#!/usr/bin/env bash
# Installs what is missing, builds RNN Lab and runs the whole test suite:
#   1. every suite (engine, app, ui) under Xvfb, in a plain build;
#   2. the engine and app suites and the window tests with AddressSanitizer
#      and UndefinedBehaviorSanitizer;
#   3. the trainer tests with ThreadSanitizer.
# Needs no display: it brings its own (Xvfb) and its own session bus.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh test

headless=(dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -noreset")
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

setup () {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}

echo "== plain build: all suites"
setup build
"${headless[@]}" meson test -C build --print-errorlogs

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
"${headless[@]}" meson test -C build-asan --print-errorlogs --suite engine --suite app --suite ui

echo "== ThreadSanitizer: the trainer"
setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug
meson test -C build-tsan --print-errorlogs --suite trainer
