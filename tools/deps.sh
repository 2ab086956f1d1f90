#!/usr/bin/env bash
# Installs the Debian 12 packages RNN Lab needs that are not there yet.
# Usage: tools/deps.sh [run|package|test]
#   package adds the Debian packaging tools (tools/package.sh);
#   test adds what the test suite needs, packaging included.
set -euo pipefail

build=(meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev libgtk-4-dev
       libadwaita-1-dev libjson-glib-dev libopenblas-dev liblapacke-dev libcairo2-dev
       libpango1.0-dev gettext desktop-file-utils appstream-util fonts-noto-cjk
       fonts-cantarell librsvg2-common libgtk-4-bin
       dconf-gsettings-backend)
# libxsmm (amd64 only in Debian): the engine's per-step products (used
# when found; elsewhere cblas_sgemm)
if [ "$(dpkg --print-architecture)" = amd64 ]; then build+=(libxsmm-dev); fi
package=(dpkg-dev debhelper lintian)
# clang and its runtime (libclang-rt-14-dev holds libclang_rt.fuzzer, i.e.
# libFuzzer, and the sanitizers' runtimes for clang 14): the fuzz harnesses
# and the clang build.
test=(xvfb xauth dbus xfonts-base python3 python3-numpy python3-torch
      clang libclang-rt-14-dev "${package[@]}")

want=("${build[@]}")
case "${1:-run}" in
  run) ;;
  package) want+=("${package[@]}") ;;
  test) want+=("${test[@]}") ;;
  *) echo "usage: tools/deps.sh [run|package|test]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
