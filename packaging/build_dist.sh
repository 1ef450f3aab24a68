#!/usr/bin/env bash
# make dist: the PyInstaller one-folder build, put in a folder with a launcher, a menu entry
# and an icon, packed as dist/fazhi-report-editor-<version>-linux-x86_64.tar.gz.
# PY: the Python with PyInstaller and the program's dependencies: by default the one built for
# old desktops (glibc 2.28) by packaging/build_compat_python.sh (make dist runs it first).
# The archive is checked against packaging/target.env (packaging/check_glibc.py): the build
# fails when a file needs a newer glibc/libstdc++ (CHECK_GLIBC=0 skips that, e.g. for a quick
# PY=.venv/bin/python build that only runs on this machine).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-build/py-compat/bin/python3.11}
[ -x "$PY" ] || { echo "no $PY: run make dist (or bash packaging/build_compat_python.sh)" >&2; exit 2; }
NAME=fazhi-report-editor
VERSION=$("$PY" -c 'import editor.version as v; print(v.version())')
ARCH=$(uname -m)
[ "$ARCH" = x86_64 ] || echo "note: building on $ARCH, not x86_64" >&2
OUT="$NAME-$VERSION-linux-$ARCH"

rm -rf build/pyi-dist "dist/$OUT" "dist/$OUT.tar.gz"
PYTHONPATH=$PWD "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath build/pyi-dist \
  --workpath build/pyi-work packaging/fazhi.spec

mkdir -p "dist/$OUT"
mv "build/pyi-dist/$NAME" "dist/$OUT/app"
install -m 755 packaging/launcher.sh "dist/$OUT/$NAME"
install -m 755 packaging/install-menu-entry.sh "dist/$OUT/install-menu-entry.sh"
install -m 644 packaging/fazhi-report-editor.desktop packaging/fazhi.png packaging/fazhi.svg \
  "dist/$OUT/"
sed "s/@VERSION@/$VERSION/g" packaging/README-install.txt > "dist/$OUT/使用前请读我.txt"

if [ "${CHECK_GLIBC:-1}" != 0 ]; then
  "$PY" packaging/check_glibc.py "dist/$OUT" | sed 's/^/  /' \
    || { echo "make dist: the build needs a newer glibc/libstdc++ than packaging/target.env" >&2
         exit 1; }
fi
tar -C dist -czf "dist/$OUT.tar.gz" "$OUT"
size_unpacked=$(du -sm "dist/$OUT" | cut -f1)
size_packed=$(du -m "dist/$OUT.tar.gz" | cut -f1)
echo "dist/$OUT.tar.gz: ${size_packed} MB packed, ${size_unpacked} MB unpacked (goal ≤ 150 MB)"
