#!/usr/bin/env bash
# Installs what is missing, builds RNN Lab and starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh run
[ -f build/build.ninja ] || meson setup build
meson compile -C build
exec build/app/rnn-lab "$@"
