#!/bin/sh
# Puts 法治政府建设年度报告编辑器 in the desktop's application menu (for this user only):
# writes ~/.local/share/applications/fazhi-report-editor.desktop pointing at this folder.
# Run it again after moving the folder. Remove the entry: ./install-menu-entry.sh --remove
case "$0" in */*) here=${0%/*} ;; *) here=. ;; esac
here=$(cd "$here" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
entry="$apps/fazhi-report-editor.desktop"
if [ "$1" = "--remove" ]; then rm -f "$entry"; echo "已删除菜单项 $entry"; exit 0; fi
mkdir -p "$apps"
sed -e "s|@HERE@|$here|g" "$here/fazhi-report-editor.desktop" > "$entry"
chmod +x "$entry"
echo "已添加到应用程序菜单：$entry"
