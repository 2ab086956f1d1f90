#!/usr/bin/env bash
# Installs what is missing, builds RNN Lab and runs the whole test suite:
#   1. every suite (engine, app, ui) under Xvfb, in a plain build;
#   2. the engine and app suites and the window tests with AddressSanitizer
#      and UndefinedBehaviorSanitizer;
#   3. the trainer tests with ThreadSanitizer;
#   4. the fuzz harnesses (tests/fuzz) with clang's libFuzzer, a short
#      fixed-seed session each, from the committed corpus (and, for the
#      JSON loaders, generated deeply nested inputs);
#   5. the Debian package, built once (tools/package.sh), its contents
#      checked and lintian run on it.
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
}

echo "== plain build: all suites"
setup build
meson compile -C build
"${headless[@]}" meson test -C build --print-errorlogs

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson compile -C build-asan
"${headless[@]}" meson test -C build-asan --print-errorlogs --suite engine --suite app --suite ui

echo "== ThreadSanitizer: the trainer"
setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug
# Only the trainer suite's programs (the whole build under TSan is not
# needed): their targets, as the build itself lists them.
tsan_targets=$(meson introspect build-tsan --tests | python3 -c '
import json, os, sys
print(" ".join(sorted({"tests/" + os.path.basename(t["cmd"][0])
                       for t in json.load(sys.stdin)
                       if any(s.endswith(":trainer") for s in t["suite"])})))')
# shellcheck disable=SC2086
meson compile -C build-tsan $tsan_targets
meson test -C build-tsan --no-rebuild --print-errorlogs --suite trainer

echo "== libFuzzer: the loaders (clang, AddressSanitizer + UndefinedBehaviorSanitizer)"
CC=clang setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
harnesses=(model-json settings-json csv lesson)
meson compile -C build-fuzz "${harnesses[@]/#/tests/fuzz/fuzz-}"
fuzz_work=$(mktemp -d)
trap 'rm -rf "$fuzz_work"' EXIT
for h in "${harnesses[@]}"; do
  mkdir -p "$fuzz_work/$h"
  cp tests/fuzz/corpus/"$h"/* "$fuzz_work/$h/"
  if [ "$h" = lesson ]; then
    cp data/lessons/*.json "$fuzz_work/$h/"
  fi
  if [ "$h" = csv ]; then
    # The CSV test corpus too: binary, Latin-1, ragged and unclosed files.
    cp tests/data/csv/* "$fuzz_work/$h/"
  else
    # Deep nesting, closed and not, larger than any test file.
    python3 - "$fuzz_work/$h" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/deep-arrays", "w").write("[" * 120000 + "]" * 120000)
open(f"{d}/deep-objects", "w").write('{"a":' * 50000)
open(f"{d}/deep-in-key", "w").write('{"lr": ' + "[" * 100000 + "]" * 100000 + "}")
PY
  fi
  # A fixed seed and run count: the same inputs every time (about 10 s each).
  "build-fuzz/tests/fuzz/fuzz-$h" -seed=1 -runs=100000 -max_len=300000 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$fuzz_work/" "$fuzz_work/$h"
done

echo "== Debian package"
rm -rf build-deb
tools/package.sh build-deb
deb=$(ls build-deb/rnn-lab_*.deb)
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in usr/bin/rnn-lab \
         usr/share/applications/io.github.rnnlab.RnnLab.desktop \
         usr/share/metainfo/io.github.rnnlab.RnnLab.metainfo.xml \
         usr/share/glib-2.0/schemas/io.github.rnnlab.RnnLab.gschema.xml \
         usr/share/icons/hicolor/scalable/apps/io.github.rnnlab.RnnLab.svg \
         usr/share/locale/zh_CN/LC_MESSAGES/rnn-lab.mo \
         usr/share/man/man1/rnn-lab.1.gz; do
  grep -qxF "./$f" <<<"$files" || { echo "$deb lacks /$f" >&2; exit 1; }
done
if grep -E '/tests?/|/(test|bench)-[^/]*$' <<<"$files"; then
  echo "$deb holds test or benchmark programs (above)" >&2
  exit 1
fi
# Errors fail the run; warnings are shown.
lintian --fail-on error build-deb/rnn-lab_*.changes
echo "$deb: $(grep -vc '/$' <<<"$files") files, lintian: no errors"

# One closing line for the three test runs together.
python3 - build build-asan build-tsan <<'PY'
import json, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    for line in open(f"{d}/meson-logs/testlog.json"):
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"): passed += 1
        elif r == "SKIP": skipped += 1
        else: failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
