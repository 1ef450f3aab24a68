# What a user does with the unpacked program, shared by packaging/smoke_test.sh (this machine,
# offline) and packaging/old_distro_test.sh (a Debian 11 system): --version, list (creates the
# database with the example), the window on Xvfb with the example open, export of the example
# to .docx, import of that .docx, check, export of the import.
#
# Sourced (bash) after the caller has defined:
#   ok TEXT, fail TEXT     report a step / stop the test
#   user ARGS…             run ARGS as the user (VAR=value words first, as for env)
#   PROGRAM                the launcher, as the user sees it
#   HOME_IN, HOME_HOST     the user's home as the user sees it, and as this script sees it
#   ARCHIVE                the archive (its name gives the version --version must say)
#   LOGS                   a folder of this machine for the logs and the window's picture
# Sets XPID (the Xvfb, for the caller's cleanup).

app() { user "$PROGRAM" "$@"; }

user_steps() {
  local version expected listing db_tail db new_id rc disp shot=window.png
  version=$(app --version) || fail "--version exited $?"
  expected=$(basename "$ARCHIVE" | sed -E 's/^fazhi-report-editor-(.*)-linux-[^-]+\.tar\.gz$/\1/')
  [[ "$version" == *" $expected" ]] || fail "--version said '$version', expected $expected"
  ok "--version: $version"

  listing=$(app list) || fail "list exited $?"
  db_tail=.local/share/fazhi-report-editor/reports.db
  db="$HOME_IN/$db_tail"
  [ -s "$HOME_HOST/$db_tail" ] || fail "list did not create $db"
  [[ "$listing" == *"法治政府建设"* ]] || fail "list shows no example: $listing"
  ok "list: the new database holds the example: ${listing:0:60}…"

  # The window on an X server, the example open (before the import: it opens the newest report).
  command -v Xvfb >/dev/null || fail "Xvfb is not installed (apt-get install xvfb)"
  disp=:$((90 + RANDOM % 100))
  Xvfb "$disp" -screen 0 1366x768x24 -nolisten tcp > "$LOGS/xvfb.log" 2>&1 &
  XPID=$!
  for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done
  [ -S "/tmp/.X11-unix/X${disp#:}" ] || fail "Xvfb did not start: $(cat "$LOGS/xvfb.log")"
  rm -f "$HOME_HOST/$shot" "$LOGS/$shot"
  user DISPLAY="$disp" QT_QPA_PLATFORM=xcb LANG=zh_CN.UTF-8 REPORT_EDITOR_SCREENSHOT="$HOME_IN/$shot" \
    REPORT_EDITOR_SCREENSHOT_SCREEN=1 REPORT_EDITOR_SCREENSHOT_DELAY=1500 REPORT_EDITOR_TRACEBACK=1 \
    "$PROGRAM" gui --db "$db" > "$LOGS/gui.txt" 2>&1 || fail "window exited $?: $(cat "$LOGS/gui.txt")"
  [ -s "$HOME_HOST/$shot" ] || fail "no screenshot: $(cat "$LOGS/gui.txt")"
  cp "$HOME_HOST/$shot" "$LOGS/$shot"
  ok "window mapped on Xvfb (xcb) with the example open: $LOGS/$shot"

  app export 1 -o "$HOME_IN/example.docx" >/dev/null || fail "export of the example exited $?"
  [ "$(head -c 2 "$HOME_HOST/example.docx")" = PK ] || fail "export wrote no .docx"
  ok "export 1 → example.docx ($(du -k "$HOME_HOST/example.docx" | cut -f1) KB)"

  new_id=$(app import "$HOME_IN/example.docx") || fail "import exited $?"
  new_id=$(echo "$new_id" | grep -oE '[0-9]+' | sed -n 1p)
  [ -n "$new_id" ] && [ "$new_id" != 1 ] || fail "import printed no new id"
  ok "import example.docx → report $new_id"

  set +e; app check "$new_id" > "$LOGS/check.txt"; rc=$?; set -e
  [ "$rc" -le 1 ] || fail "check exited $rc: $(cat "$LOGS/check.txt")"
  ok "check $new_id: exit $rc ($(wc -l < "$LOGS/check.txt") lines)"

  app export "$new_id" -o "$HOME_IN/reimported.docx" --variant plain >/dev/null \
    || fail "export of the import exited $?"
  [ "$(head -c 2 "$HOME_HOST/reimported.docx")" = PK ] || fail "export of the import wrote no .docx"
  [ "$(app list | grep -c .)" -ge 2 ] || fail "list does not show both reports"
  ok "export $new_id → reimported.docx, list shows both"
}
