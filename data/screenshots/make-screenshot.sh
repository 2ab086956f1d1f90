#!/bin/sh
# make-screenshot.sh: screenshots of the real window, for the README and the
# AppStream metainfo.
#
#   data/screenshots/make-screenshot.sh [BUILDDIR]      (default: build)
#
# Runs the built (uninstalled) rnn-lab under Xvfb at 1280x800, trains the
# tutorial for a few dozen epochs through the window's own actions, and saves
#   data/screenshots/main-window.png          (English)
#   data/screenshots/main-window-zh_CN.png    (Simplified Chinese)
#
# Needs (Debian 12): xvfb xauth dbus imagemagick x11-utils fonts-noto-cjk.
# No zh_CN locale has to be installed: the Chinese run uses LC_ALL=C.UTF-8
# with LANGUAGE=zh_CN, which gettext honours (it ignores LANGUAGE only in the
# plain "C" locale), and RNN_LAB_LOCALEDIR=<build>/po for the catalogue.
#
# Environment: EPOCHS (default 60) epochs to train before the shot.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
epochs=${EPOCHS:-60}

# ---- Inside Xvfb and a private session bus: one language, one file ------
if [ "${1:-}" = "--inner" ]; then
  builddir=$2
  lang=$3
  out=$4

  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/config/gtk-4.0" "$tmp/runtime"
  chmod 700 "$tmp/runtime"
  printf '[Settings]\ngtk-enable-animations=false\n' > "$tmp/config/gtk-4.0/settings.ini"

  export XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/runtime"
  export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$builddir/data"
  export GSK_RENDERER=cairo GDK_DEBUG=gl-disable ADW_DISABLE_PORTAL=1 GTK_A11Y=none NO_AT_BRIDGE=1
  export RNN_LAB_LOCALEDIR="$builddir/po"
  export LC_ALL=C.UTF-8
  if [ "$lang" = "C" ]; then
    unset LANGUAGE || true
  else
    export LANGUAGE="$lang"
  fi

  "$builddir/app/rnn-lab" &
  app_pid=$!

  # The window: the app's largest top-level window, once it is viewable
  # (the others are GTK's 1x1 helper windows).
  wid=
  for _ in $(seq 200); do
    wid=$(xwininfo -root -children 2>/dev/null \
          | awk '/"rnn-lab"/ { split ($0, g, /[ +]/); for (i in g) if (g[i] ~ /^[0-9]+x[0-9]+$/) { split (g[i], s, "x"); if (s[1] >= 200 && s[1] * s[2] > best) { best = s[1] * s[2]; id = $1 } } } END { print id }')
    if [ -n "$wid" ] && xwininfo -id "$wid" | grep -q IsViewable; then
      break
    fi
    wid=
    sleep 0.1
  done
  if [ -z "$wid" ]; then
    echo "make-screenshot.sh: the window did not appear" >&2
    kill "$app_pid" 2>/dev/null || true
    exit 1
  fi

  # The window's actions, exported on the session bus by GtkApplication.
  act() {
    gdbus call --session --dest io.github.rnnlab.RnnLab \
      --object-path /io/github/rnnlab/RnnLab/window/1 \
      --method org.gtk.Actions.Activate "$1" '[]' '{}' > /dev/null
  }
  for _ in $(seq 50); do
    act step 2>/dev/null && break
    sleep 0.1
  done
  i=1
  while [ "$i" -lt "$epochs" ]; do
    act step
    i=$((i + 1))
  done

  sleep 3
  import -window "$wid" "$out"
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  echo "make-screenshot.sh: wrote $out ($(identify -format '%wx%h' "$out"), LANGUAGE=$lang)"
  exit 0
fi

# ---- Outside: check, then one run per language ---------------------------
builddir=$(cd "${1:-$srcdir/build}" && pwd)
if [ ! -x "$builddir/app/rnn-lab" ] || [ ! -f "$builddir/data/gschemas.compiled" ]; then
  echo "make-screenshot.sh: no built rnn-lab in $builddir; build first: meson setup build && meson compile -C build" >&2
  exit 2
fi
for tool in xvfb-run dbus-run-session xwininfo import gdbus; do
  command -v "$tool" > /dev/null || {
    echo "make-screenshot.sh: $tool is missing; install: apt-get install xvfb xauth dbus imagemagick x11-utils fonts-noto-cjk" >&2
    exit 2
  }
done

for lang in C zh_CN; do
  case $lang in
    C) out=$here/main-window.png ;;
    *) out=$here/main-window-$lang.png ;;
  esac
  xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- "$here/make-screenshot.sh" --inner "$builddir" "$lang" "$out"
done
