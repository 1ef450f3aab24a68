#!/bin/sh
# 法治政府建设年度报告编辑器: starts the program in app/ beside this file (no Python needed).
#   ./fazhi-report-editor              the editor window
#   ./fazhi-report-editor --help       the command line (list, import, export, check, …)
# Shell built-ins only, so that it works with any PATH.
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
if command -v readlink >/dev/null 2>&1; then  # started through a symbolic link
  real=$(readlink -f "$0" 2>/dev/null) && [ -n "$real" ] && here=${real%/*}
fi
exec "$here/app/fazhi-report-editor" "$@"
