#!/usr/bin/env bash
# fcitx 4 with its pinyin engine for tests/test_fcitx4_bridge.py, unpacked, not installed.
#
# Debian's fcitx 4 packages conflict with fcitx5 (fcitx-bin, fcitx-data) and fcitx5-pinyin,
# which tests/test_input_method.py needs installed. So this downloads the .debs and unpacks them
# with dpkg -x into one folder (default build/fcitx4-root); the tests run fcitx from there with
# FCITXDIR=<root>/usr (fcitx 4 then looks for its addons and data under that prefix) and
# LD_LIBRARY_PATH=<root>/usr/lib/<multiarch>. The libraries fcitx links against (dbus, X11,
# cairo, pango, json-c, xkbfile …) come from the system: run as root (CI), the script installs
# those the .debs depend on and the machine lacks (plain libraries, no conflict with fcitx5);
# otherwise it lists them. (enchant and presage are left out: fcitx loads them only for its
# spell-checking addon, which the tests do not use.)
#
# Usage: bash tests/tools/get_fcitx4.sh [ROOT]   (needs apt lists: run apt-get update first)
set -euo pipefail
ROOT=${1:-build/fcitx4-root}
# fcitx's own libraries (libfcitx-core0 …) are taken from these packages' Depends, so that a
# renamed library (Debian 13) is found too.
PACKAGES=(fcitx-bin fcitx-data fcitx-modules fcitx-module-dbus fcitx-module-x11 fcitx-pinyin)

if [ -e "$ROOT/.complete" ] && [ -x "$ROOT/usr/bin/fcitx" ]; then
  echo "fcitx 4 already unpacked in $ROOT"
  exit 0
fi
debs=$(mktemp -d)
trap 'rm -rf "$debs"' EXIT
# (As root, apt says it downloads "unsandboxed" into this folder: harmless.)
depends() {  # the packages the downloaded .debs depend on (first alternative, no versions)
  for deb in "$debs"/*.deb; do dpkg-deb -f "$deb" Depends; done | tr ',' '\n' \
    | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -v '^$' | sort -u
}
(cd "$debs" && apt-get download -q "${PACKAGES[@]}" >/dev/null)
# shellcheck disable=SC2046
(cd "$debs" && apt-get download -q $(depends | grep '^libfcitx') >/dev/null)
# The system libraries they need.
needed=$(depends | grep -v -E '^fcitx|^libfcitx|presage|enchant')
missing=$(for pkg in $needed; do
            dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" \
              || echo "$pkg"
          done)
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "note: fcitx 4 needs these libraries: $(echo $missing)" >&2
  fi
fi
rm -rf "$ROOT"
mkdir -p "$ROOT"
for deb in "$debs"/*.deb; do
  dpkg -x "$deb" "$ROOT"
done
# fcitx 4 with FCITXDIR looks for addons in $FCITXDIR/lib/fcitx; Debian puts them under the
# multiarch folder.
addons=$(cd "$ROOT/usr/lib" && ls -d ./*/fcitx | sed -n 1p)
ln -sfn "${addons#./}" "$ROOT/usr/lib/fcitx"
touch "$ROOT/.complete"
echo "fcitx 4 unpacked in $ROOT ($(du -sh "$ROOT" | cut -f1))"
