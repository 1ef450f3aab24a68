#!/usr/bin/env bash
# The built archive on an older userland: a Debian 11 (bullseye: glibc 2.31, gcc 10's
# libstdc++) minimal system made by debootstrap, with only what a desktop has (X11/xcb, xkbcommon,
# fontconfig, freetype, GLib, D-Bus, GL/EGL, a CJK font) and no Python. In it, offline, as an
# ordinary user, with LD_BIND_NOW=1 (every symbol of every library loaded is resolved at start,
# so a missing one fails at once, not when first called):
#   - `ldd -r` of every ELF file of the archive against the old system's libraries;
#   - --version, list, export, import, check, export (as packaging/smoke_test.sh);
#   - the window on an X server (the host's Xvfb, its socket bound into the old system), with a
#     picture of the whole screen: build/old-distro/window.png.
#   sudo bash packaging/old_distro_test.sh [dist/fazhi-report-editor-<version>-linux-x86_64.tar.gz]
# Needs root (debootstrap, chroot, mounts), debootstrap and Xvfb, and the network for the first
# run only: the old system is kept in build/old-distro/bullseye/ (about 200 MB; made again when
# PACKAGES below changes). Debian 10 (UOS V20's base, glibc 2.28) is no longer on Debian's
# mirrors: packaging/check_glibc.py's scan of the symbol versions is the evidence for 2.28.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ARCHIVE=${1:-$(ls -t dist/fazhi-report-editor-*-linux-*.tar.gz 2>/dev/null | sed -n 1p)}
[ -n "$ARCHIVE" ] && [ -f "$ARCHIVE" ] || { echo "old-distro test: no archive (run make dist)" >&2; exit 2; }
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
SUITE=${OLD_DISTRO_SUITE:-bullseye}
MIRROR=${OLD_DISTRO_MIRROR:-http://deb.debian.org/debian}
OUT=$ROOT/build/old-distro
CHROOT=$OUT/$SUITE
# What an X11 desktop (UOS, Kylin, …) has; not the xcb-util libraries the archive carries.
PACKAGES=libx11-6,libx11-xcb1,libxcb1,libxcb-randr0,libxcb-render0,libxcb-shape0,libxcb-shm0,\
libxcb-sync1,libxcb-xfixes0,libxcb-xkb1,libxkbcommon0,libxkbcommon-x11-0,libfontconfig1,\
libfreetype6,libglib2.0-0,libdbus-1-3,libgl1,libegl1,libzstd1,fonts-wqy-microhei
[ "$(id -u)" -eq 0 ] || { echo "old-distro test: needs root (debootstrap, chroot)" >&2; exit 2; }

if [ -z "${OLD_DISTRO_INNER:-}" ]; then
  start=$SECONDS
  if [ "$(cat "$CHROOT/.packages" 2>/dev/null)" != "$PACKAGES" ]; then
    command -v debootstrap >/dev/null || { echo "apt-get install debootstrap" >&2; exit 2; }
    echo "debootstrap $SUITE (minbase + desktop libraries) into $CHROOT"
    rm -rf "$CHROOT"
    mkdir -p "$OUT"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$CHROOT" "$MIRROR" \
      > "$OUT/debootstrap.log" 2>&1 || { tail -20 "$OUT/debootstrap.log"; exit 1; }
    echo "$PACKAGES" > "$CHROOT/.packages"
    echo "old system made in $((SECONDS - start)) s"
  fi
  # Private mounts (gone when the test ends) and no network, as on the offline office PC.
  export OLD_DISTRO_INNER=1
  exec unshare --mount --propagation private --net -- bash "$0" "$ARCHIVE"
fi

start=$SECONDS
steps=0
ok() { steps=$((steps + 1)); echo "  ok  $*"; }
fail() { echo "OLD-DISTRO TEST FAILED: $*" >&2; exit 1; }
XPID=
cleanup() { [ -n "$XPID" ] && kill "$XPID" 2>/dev/null; rm -rf "$CHROOT/opt/pc" "$CHROOT/home/user"; }
trap cleanup EXIT

# The first line by sed, not head: under pipefail `ldd --version | head -1` fails with 141 whenever
# head exits before ldd's last write (SIGPIPE); sed reads to the end.
glibc=$(chroot "$CHROOT" /usr/bin/ldd --version | sed -n 1p | grep -oE '[0-9]+\.[0-9]+$')
libstdcxx=$(chroot "$CHROOT" sh -c 'ls /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.*' | sed 's/.*\.so\.//')
ok "$SUITE: glibc $glibc, libstdc++ $libstdcxx, $(cat "$CHROOT/etc/debian_version")"
if chroot "$CHROOT" sh -c 'command -v python3 || command -v python' >/dev/null; then
  fail "python is installed in the old system"
fi

mount -t proc proc "$CHROOT/proc"
mkdir -p "$CHROOT/dev/shm"
mount -t tmpfs tmpfs "$CHROOT/dev/shm"
for d in null zero urandom random; do
  [ -e "$CHROOT/dev/$d" ] || { touch "$CHROOT/dev/$d"; mount --bind "/dev/$d" "$CHROOT/dev/$d"; }
done
rm -rf "$CHROOT/opt/pc" "$CHROOT/home/user"
mkdir -p "$CHROOT/opt/pc" "$CHROOT/home/user" "$CHROOT/tmp/.X11-unix"
chmod 1777 "$CHROOT/tmp" "$CHROOT/tmp/.X11-unix"
tar -C "$CHROOT/opt/pc" -xzf "$ARCHIVE"
DIR=$(cd "$CHROOT/opt/pc" && ls -d fazhi-report-editor-*)
chown -R 1000:1000 "$CHROOT/home/user"
ok "unpacked $(basename "$ARCHIVE") into the old system"

# Every ELF file's libraries and symbols, resolved by the old system's loader (Python's own
# symbols come from the running program, not from a library: those are not counted).
unresolved=$(chroot "$CHROOT" /bin/bash -c '
  cd /opt/pc/'"$DIR"'/app
  i=$PWD/_internal
  export LD_LIBRARY_PATH=$i:$i/PySide6/Qt/lib:$i/PySide6:$i/shiboken6
  find . -type f \( -name "*.so*" -o -perm -u+x \) | while read -r f; do
    head -c4 "$f" | grep -q ELF || continue
    ldd -r "$f" 2>&1 | grep -E "not found|undefined symbol" \
      | grep -vE "undefined symbol: (_?Py|_Py|PyInit|Sbk|_Sbk|pyside|Shiboken|PySide)" \
      | sed "s|^|$f: |"
  done' | sort -u)
[ -z "$unresolved" ] || fail "unresolved in the old system:"$'\n'"$unresolved"
nfiles=$(find "$CHROOT/opt/pc/$DIR/app" -type f \
  -exec sh -c 'head -c4 "$1" | grep -q ELF && echo' _ {} \; | wc -l)
ok "ldd -r: all $nfiles ELF files load with the old system's libraries, no symbol missing"

# The user's program: an ordinary user, an empty environment, no network.
user() {
  timeout 120 chroot --userspec=1000:1000 "$CHROOT" /usr/bin/env -i HOME=/home/user \
    PATH=/usr/bin:/bin LANG=C.UTF-8 LD_BIND_NOW=1 "$@"
}
# The X server is the host's Xvfb (in this network namespace): its socket folder, bound in.
mount --bind /tmp/.X11-unix "$CHROOT/tmp/.X11-unix"
HOME_IN=/home/user HOME_HOST="$CHROOT/home/user" PROGRAM="/opt/pc/$DIR/fazhi-report-editor" LOGS="$OUT"
# shellcheck source=packaging/user_steps.sh
source "$ROOT/packaging/user_steps.sh"
user_steps

echo "old-distro test ($SUITE, glibc $glibc): all $steps steps ok in $((SECONDS - start)) s"
