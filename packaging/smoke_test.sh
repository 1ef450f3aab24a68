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
ARCHIVE=${1:-$(ls -t dist/fazhi-report-editor-*-linux-*.tar.gz 2>/dev/null | head -1)}
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
app() { user "$LAUNCHER" "$@"; }

version=$(app --version) || fail "--version exited $?"
expected=$(basename "$ARCHIVE" | sed -E 's/^fazhi-report-editor-(.*)-linux-[^-]+\.tar\.gz$/\1/')
[[ "$version" == *" $expected" ]] || fail "--version said '$version', expected $expected"
ok "--version: $version"

listing=$(app list) || fail "list exited $?"
DB="$WORK/home/.local/share/fazhi-report-editor/reports.db"
[ -s "$DB" ] || fail "list did not create $DB"
[[ "$listing" == *"法治政府建设"* ]] || fail "list shows no example: $listing"
ok "list: the new database holds the example: ${listing:0:60}…"

# The window on an X server (Xvfb inside the namespace), the example open.
command -v Xvfb >/dev/null || fail "Xvfb is not installed (apt-get install xvfb)"
disp=:$((90 + RANDOM % 100))
Xvfb "$disp" -screen 0 1366x768x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XPID=$!
for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done
[ -S "/tmp/.X11-unix/X${disp#:}" ] || fail "Xvfb did not start: $(cat "$WORK/xvfb.log")"
shot="$SMOKE_OUT/window.png"
rm -f "$shot"
user DISPLAY="$disp" QT_QPA_PLATFORM=xcb LANG=zh_CN.UTF-8 REPORT_EDITOR_SCREENSHOT="$shot" \
  REPORT_EDITOR_SCREENSHOT_SCREEN=1 REPORT_EDITOR_SCREENSHOT_DELAY=1500 REPORT_EDITOR_TRACEBACK=1 \
  "$LAUNCHER" gui --db "$DB" > "$WORK/gui.txt" 2>&1 || fail "window exited $?: $(cat "$WORK/gui.txt")"
[ -s "$shot" ] || fail "no screenshot: $(cat "$WORK/gui.txt")"
ok "window mapped on Xvfb (xcb) with the example open: $shot"

app export 1 -o "$WORK/example.docx" >/dev/null || fail "export of the example exited $?"
[ "$(head -c 2 "$WORK/example.docx")" = PK ] || fail "export wrote no .docx"
ok "export 1 → example.docx ($(du -k "$WORK/example.docx" | cut -f1) KB)"

new_id=$(app import "$WORK/example.docx") || fail "import exited $?"
new_id=$(echo "$new_id" | grep -oE '[0-9]+' | head -1)
[ -n "$new_id" ] && [ "$new_id" != 1 ] || fail "import printed no new id"
ok "import example.docx → report $new_id"

set +e; app check "$new_id" > "$WORK/check.txt"; rc=$?; set -e
[ "$rc" -le 1 ] || fail "check exited $rc: $(cat "$WORK/check.txt")"
ok "check $new_id: exit $rc ($(wc -l < "$WORK/check.txt") lines)"

app export "$new_id" -o "$WORK/reimported.docx" --variant plain >/dev/null \
  || fail "export of the import exited $?"
[ "$(head -c 2 "$WORK/reimported.docx")" = PK ] || fail "export of the import wrote no .docx"
[ "$(app list | grep -c .)" -ge 2 ] || fail "list does not show both reports"
ok "export $new_id → reimported.docx, list shows both"

echo "smoke test: all $steps steps ok"
