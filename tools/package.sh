#!/usr/bin/env bash
# Builds the Debian package of RNN Lab (debian/) into a folder.
# Usage: tools/package.sh OUTDIR
# The build runs in a copy of the source tree in a temporary folder (removed
# at the end), so the tree itself is left as it was. OUTDIR receives the
# .deb files (rnn-lab and its debug symbols), the source package, and the
# .buildinfo and .changes files that describe them.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: tools/package.sh OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
tools/deps.sh package

version=$(dpkg-parsechangelog -S Version)
work=$(mktemp -d "${TMPDIR:-/tmp}/rnn-lab-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/rnn-lab-$version"
mkdir "$src"

# The files git tracks, as they are in the tree now (edits included, a file
# deleted but not yet committed skipped; untracked files such as build or
# output folders left out); without git, everything but build folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z --cached \
    | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
else
  tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

# Parallel build on every core unless DEB_BUILD_OPTIONS already says.
jobs=()
[[ " ${DEB_BUILD_OPTIONS:-} " == *" parallel="* ]] || jobs=(-J"$(nproc)")

(cd "$src" && dpkg-buildpackage -us -uc "${jobs[@]}")

mv "$work"/*.deb "$work"/*.dsc "$work"/*.tar.* "$work"/*.buildinfo "$work"/*.changes "$out"/
ls "$out"/*.deb
