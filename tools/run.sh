#!/usr/bin/env bash
# Installs what is missing, builds RNN Lab and starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh run
[ -f build/build.ninja ] || meson setup build
meson compile -C build
# Uninstalled: the settings schema and the translations from the build tree.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data" RNN_LAB_LOCALEDIR="$PWD/build/po"
exec build/app/rnn-lab "$@"
