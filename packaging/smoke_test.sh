#!/usr/bin/env bash
# The built archive used as on an offline office PC: no network (a new network namespace),
# a fresh HOME, no Python on the PATH and an otherwise empty environment.
#   bash packaging/smoke_test.sh [dist/fazhi-report-editor-<version>-linux-x86_64.tar.gz]
# Runs --version, list (creates the database with the example), export of the example to
# .docx, import of that .docx, check, export of the import, and the window under Xvfb
# (QT_QPA_PLATFORM=xcb) with the example open: a picture of the whole screen goes to
# $SMOKE_OUT (default build/smoke/). Needs root or unprivileged user namespaces, and Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARCHIVE=${1:-$(ls -t dist/fazhi-report-editor-*-linux-*.tar.gz 2>/dev/null | sed -n 1p)}
[ -n "$ARCHIVE" ] && [ -f "$ARCHIVE" ] || { echo "smoke test: no archive (run make dist)" >&2; exit 2; }
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
SMOKE_OUT=${SMOKE_OUT:-$ROOT/build/smoke}

if [ -z "${SMOKE_IN_NETNS:-}" ]; then  # start again inside a namespace with no network
  export SMOKE_IN_NETNS=1 SMOKE_OUT
  if [ "$(id -u)" -eq 0 ]; then exec unshare -n -- bash "$0" "$ARCHIVE"; fi
  exec unshare -rn -- bash "$0" "$ARCHIVE"
fi

steps=0
ok() { steps=$((steps + 1)); echo "  ok  $*"; }
fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }

# No network: the namespace has only its loopback device (/proc/net is per namespace).
nets=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' ' | sed 's/ $//')
[ "$nets" = lo ] || fail "network devices present: $nets"
ok "no network (devices: $nets)"

WORK=$(mktemp -d /tmp/fazhi-smoke.XXXXXX)
XPID=
cleanup() { [ -n "$XPID" ] && kill "$XPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/home" "$WORK/pc" "$SMOKE_OUT"
tar -C "$WORK/pc" -xzf "$ARCHIVE"
DIR=$(ls -d "$WORK"/pc/fazhi-report-editor-*)
LAUNCHER="$DIR/fazhi-report-editor"
for f in fazhi-report-editor install-menu-entry.sh fazhi-report-editor.desktop fazhi.png; do
  [ -e "$DIR/$f" ] || fail "archive lacks $f"
done
ok "unpacked $(basename "$ARCHIVE") ($(du -sm "$DIR" | cut -f1) MB)"

NOPATH=/nonexistent-python-free-path
if env -i PATH=$NOPATH /bin/sh -c 'command -v python3 || command -v python' >/dev/null; then
  fail "python is reachable on the test PATH"
fi
# The user's program: the launcher with an empty environment but HOME and a PATH without Python.
user() { timeout 120 env -i HOME="$WORK/home" PATH=$NOPATH "$@"; }

HOME_IN="$WORK/home" HOME_HOST="$WORK/home" PROGRAM="$LAUNCHER" LOGS="$SMOKE_OUT"
# shellcheck source=packaging/user_steps.sh
source "$ROOT/packaging/user_steps.sh"
user_steps

echo "smoke test: all $steps steps ok"
