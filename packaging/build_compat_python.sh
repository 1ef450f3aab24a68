#!/usr/bin/env bash
# The Python that `make dist` freezes: CPython 3.11 built for old Linux desktops, into
# build/py-compat/, with the program's dependencies and PyInstaller (packaging/requirements-dist.txt).
#   bash packaging/build_compat_python.sh        (make dist runs it; a second run is a no-op)
#
# Why: a PyInstaller build carries the Python it runs under. The development machine's Python
# (Debian 12) needs glibc 2.35; UOS V20 has 2.28 and Kylin V10 2.31. So CPython is compiled
# with `zig cc -target x86_64-linux-gnu.2.28` (zig from PyPI's ziglang), which links against
# glibc 2.28's symbol versions whatever the build machine has; packaging/target.env holds the
# floor. The sources come from Debian's archive (apt-get source, needs a deb-src line; .ci/run
# adds it): CPython 3.11.2 (Debian's orig tarball plus the security fixes of Debian's patch
# series, not its layout patches), SQLite 3.40.1 (compiled into _sqlite3 with FTS5, which the
# search uses), zlib 1.2.13 and libffi 3.4.4 (static). expat and libmpdec are CPython's own.
# No OpenSSL, readline, curses, dbm, tkinter, bz2, lzma: the program does not use them.
#
# Cache: build/py-compat/.built holds a hash of this script and target.env: while it matches,
# the interpreter is not rebuilt; build/py-compat/.wheels the same for requirements-dist.txt.
# Needs: apt-get source (deb-src), tclsh (SQLite's amalgamation), make, patch, a host C
# compiler (gcc, for SQLite's code generators), a host Python with pip (HOSTPY, default .venv's).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=target.env
. packaging/target.env
HOSTPY=${HOSTPY:-$ROOT/.venv/bin/python}
PREFIX=$ROOT/build/py-compat
WORK=$ROOT/build/py-compat-work
SRC=$ROOT/build/src
DEPS=$WORK/deps
ZIG_VERSION=0.17.0
JOBS=${JOBS:-$(nproc)}
log() { echo "[compat-python $(date +%H:%M:%S)] $*"; }

build_hash=$( (cat packaging/build_compat_python.sh packaging/target.env; echo "$PREFIX") \
  | sha256sum | cut -c1-16)
wheels_hash=$(cat packaging/requirements-dist.txt packaging/target.env | sha256sum | cut -c1-16)

# --- the tools: zig (PyPI's ziglang, into build/tools/) ------------------------------------------
ZIGDIR=$ROOT/build/tools/zig
export ZIG_GLOBAL_CACHE_DIR=$ROOT/build/tools/zig-cache ZIG_LOCAL_CACHE_DIR=$ROOT/build/tools/zig-cache
ensure_zig() {
  if [ ! -x "$ZIGDIR/ziglang/zig" ] || [ "$("$ZIGDIR/ziglang/zig" version)" != "$ZIG_VERSION" ]; then
    log "installing zig $ZIG_VERSION (PyPI ziglang) into build/tools/zig"
    rm -rf "$ZIGDIR"
    "$HOSTPY" -m pip install -q --disable-pip-version-check --target "$ZIGDIR" "ziglang==$ZIG_VERSION"
  fi
  mkdir -p "$WORK/bin"
  printf '' > "$WORK/bin/empty.c"
  "$ZIGDIR/ziglang/zig" cc -target "x86_64-linux-gnu.$TARGET_GLIBC" -c "$WORK/bin/empty.c" \
    -o "$WORK/bin/empty.o"
  # CC for every C file below: glibc $TARGET_GLIBC's symbols, baseline x86-64, no UBSan traps
  # (zig cc's default without -O), __DATE__ allowed (CPython's build info). A -shared link of
  # libraries alone (CPython's libpython3.so) gets an empty object: zig 0.17 hands such a link
  # to clang with its own target triple, which clang rejects.
  cat > "$WORK/bin/cc" <<EOF
#!/bin/sh
objects=
for a; do case "\$a" in *.o|*.c|*.a|*.lo|*.s|*.S) objects=1 ;; esac; done
case " \$* " in *" -shared "*) [ -n "\$objects" ] || set -- "\$@" "$WORK/bin/empty.o" ;; esac
exec "$ZIGDIR/ziglang/zig" cc -target x86_64-linux-gnu.$TARGET_GLIBC -mcpu=x86_64 \\
  -fno-sanitize=all -Wno-date-time "\$@"
EOF
  chmod +x "$WORK/bin/cc"
}

# --- the sources: Debian's archive ----------------------------------------------------------------
# orig tarballs: upstream's files, so their hashes do not change with Debian's revisions; the
# third field picks the source package revisions that have that upstream version (bookworm's).
declare -A ORIG=(
  [python3.11]="python3.11_3.11.2.orig.tar.gz 2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849 3.11.2-"
  [sqlite3]="sqlite3_3.40.1.orig.tar.xz aaa776260ab4dc976db34aa7891819484c8676b5b2783123ebc6301e2ca5d655 3.40.1-"
  [zlib]="zlib_1.2.13.dfsg.orig.tar.bz2 71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1 1:1.2.13.dfsg-"
  [libffi]="libffi_3.4.4.orig.tar.gz d66c56ad259a82cf2a9dfc408b32bf5da52371500b84745f7fb8b645712df676 3.4.4-"
)
fetch_sources() {
  mkdir -p "$SRC"
  local pkg file sum upstream v ok
  for pkg in "${!ORIG[@]}"; do
    read -r file sum upstream <<<"${ORIG[$pkg]}"
    # python3.11: the orig tarball and Debian's patches (for its security fixes)
    if [ ! -f "$SRC/$file" ] || { [ "$pkg" = python3.11 ] \
         && ! ls "$SRC"/python3.11_*.debian.tar.xz >/dev/null 2>&1; }; then
      log "apt-get source $pkg ($upstream*)"
      # The newest revision first; a mirror can list a revision it does not serve yet (404),
      # so the older ones are tried after it.
      ok=
      for v in $(apt-cache showsrc "$pkg" 2>/dev/null | sed -n 's/^Version: //p' \
                 | grep -F "$upstream" | sort -ruV); do
        if (cd "$SRC" && apt-get source -qq --download-only "$pkg=$v" >/dev/null 2>&1); then
          ok=1; break
        fi
      done
      [ -n "$ok" ] && [ -f "$SRC/$file" ] || {
        echo "error: apt-get source $pkg=$upstream* failed: it needs a deb-src line for" \
             "Debian 12 (bookworm; .ci/run adds one) and apt-get update" >&2; exit 1; }
    fi
    echo "$sum  $SRC/$file" | sha256sum -c --quiet - \
      || { echo "error: $SRC/$file: unexpected sha256" >&2; exit 1; }
  done
}

# --- zlib, libffi, SQLite: static, position-independent ----------------------------------------
build_deps() {
  rm -rf "$WORK/zlib" "$WORK/libffi" "$WORK/sqlite" "$DEPS"
  mkdir -p "$WORK/zlib" "$WORK/libffi" "$WORK/sqlite" "$DEPS/lib" "$DEPS/include"
  export CC=$WORK/bin/cc AR=ar RANLIB=ranlib

  log "zlib"
  tar -C "$WORK/zlib" --strip-components=1 -xjf "$SRC/${ORIG[zlib]%% *}"
  (cd "$WORK/zlib" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$DEPS" \
    && make -j"$JOBS" libz.a && cp libz.a "$DEPS/lib/" && cp zlib.h zconf.h "$DEPS/include/") \
    > "$WORK/zlib.log" 2>&1 || { tail -30 "$WORK/zlib.log"; exit 1; }

  log "libffi"
  tar -C "$WORK/libffi" --strip-components=1 -xzf "$SRC/${ORIG[libffi]%% *}"
  # (3.4.4's tramp.c calls open_temp_exec_file undeclared: an error for clang ≥ 16, not a bug)
  (cd "$WORK/libffi" && CFLAGS="-O2 -fPIC -Wno-error=implicit-function-declaration" \
      ./configure --prefix="$DEPS" --disable-shared --enable-static --with-pic --disable-docs \
      --disable-multi-os-directory && make -j"$JOBS" && make install) \
    > "$WORK/libffi.log" 2>&1 || { tail -30 "$WORK/libffi.log"; exit 1; }

  log "SQLite (amalgamation made with the host compiler and tclsh, compiled with zig)"
  tar -C "$WORK/sqlite" --strip-components=1 -xJf "$SRC/${ORIG[sqlite3]%% *}"
  (cd "$WORK/sqlite" && env -u CC -u AR -u RANLIB ./configure && env -u CC make sqlite3.c) \
    > "$WORK/sqlite.log" 2>&1 || { tail -30 "$WORK/sqlite.log"; exit 1; }
  # Debian's choice of options (what the development venv's sqlite3 has), FTS5 for the search.
  (cd "$WORK/sqlite" && "$CC" -O2 -fPIC -c sqlite3.c -o sqlite3.o \
      -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_FTS3 -DSQLITE_ENABLE_FTS3_PARENTHESIS \
      -DSQLITE_ENABLE_FTS4 -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
      -DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_SECURE_DELETE \
      -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_MAX_VARIABLE_NUMBER=250000 \
      -DSQLITE_ENABLE_MATH_FUNCTIONS \
    && ar rcs "$DEPS/lib/libsqlite3.a" sqlite3.o && cp sqlite3.h sqlite3ext.h "$DEPS/include/") \
    >> "$WORK/sqlite.log" 2>&1 || { tail -30 "$WORK/sqlite.log"; exit 1; }
}

# --- CPython ---------------------------------------------------------------------------------------
build_python() {
  local py=$WORK/cpython
  rm -rf "$py" "$PREFIX"
  mkdir -p "$py"
  tar -C "$py" --strip-components=1 -xzf "$SRC/${ORIG[python3.11]%% *}"
  # Debian's fixes after its own layout/packaging patches: the upstream backports (CVE fixes,
  # crash fixes). They start at shutdown-deadlock.diff in bookworm's series.
  local deb; deb=$(ls "$SRC"/python3.11_*.debian.tar.xz | sort -V | tail -1)
  mkdir -p "$WORK/debian" && tar -C "$WORK/debian" -xJf "$deb"
  local series=$WORK/debian/debian/patches/series applied=0 skipped=()
  while read -r p; do
    case "$p" in ""|\#*) continue ;; esac
    if patch -d "$py" -p1 -s --forward --dry-run < "$WORK/debian/debian/patches/$p" >/dev/null 2>&1; then
      patch -d "$py" -p1 -s --forward < "$WORK/debian/debian/patches/$p" >/dev/null
      applied=$((applied + 1))
    else
      skipped+=("$p")
    fi
  done < <(sed -n '/^shutdown-deadlock.diff/,$p' "$series")
  # CVE-2026-4224's fix calls an internal API from pyexpat, which Debian links into libpython
  # (Py_BUILD_CORE_BUILTIN); as a shared module it needs Py_BUILD_CORE_MODULE, as upstream has.
  if grep -q pycore_ceval.h "$py/Modules/pyexpat.c" \
     && ! grep -q Py_BUILD_CORE "$py/Modules/pyexpat.c"; then
    sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' \
      "$py/Modules/pyexpat.c"
  fi
  log "CPython 3.11.2 + $applied fixes of $(basename "$deb")${skipped:+; did not apply: ${skipped[*]}}"
  # zig's linker knows -soname, not its short form -h.
  sed -i 's/-Wl,-h\$(INSTSONAME)/-Wl,-soname,$(INSTSONAME)/; s/-Wl,-h\$@/-Wl,-soname,$@/' \
    "$py/Makefile.pre.in"
  # setup.py (the shared modules) adds the build machine's /usr/include, /usr/local and
  # multiarch folders, whose glibc 2.36 headers do not mix with zig's: only zig's and deps/.
  "$HOSTPY" - "$py/setup.py" <<'PYEOF'
import sys
path = sys.argv[1]
text = open(path).read()
for old in ("add_dir_to_list(self.compiler.library_dirs, '/usr/local/lib')",
            "add_dir_to_list(self.compiler.include_dirs, '/usr/local/include')",
            "self.add_multiarch_paths()"):
    assert text.count(old) == 1, old
    text = text.replace(old, "pass  # compat build: no host paths")
open(path, "w").write(text)
PYEOF
  # Modules the program does not use, kept out so that no host library can leak into them.
  printf '*disabled*\n%s\n' _curses _curses_panel readline _dbm _gdbm _tkinter nis _crypt \
    _uuid _bz2 _lzma _ssl _hashlib > "$py/Modules/Setup.local"

  log "CPython configure"
  # rpath: bin/python3.11 finds lib/libpython3.11.so.1.0 (the path is part of the cache key).
  # Optimisation: CPython's own -O3, as the development venv's (pyenv) build; no PGO/LTO, which
  # would cost minutes of CI for a start-up that is already within its goal.
  (cd "$py" && CC=$WORK/bin/cc AR=ar RANLIB=ranlib CPPFLAGS="-I$DEPS/include" \
      LDFLAGS="-L$DEPS/lib -Wl,-rpath,$PREFIX/lib" PKG_CONFIG_PATH= \
      PKG_CONFIG_LIBDIR="$DEPS/lib/pkgconfig" \
      LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="-L$DEPS/lib -lsqlite3 -lm" \
      ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="-L$DEPS/lib -lz" \
      LIBFFI_CFLAGS="-I$DEPS/include" LIBFFI_LIBS="-L$DEPS/lib -lffi" \
      ./configure --prefix="$PREFIX" --enable-shared --with-ensurepip=install \
        --disable-test-modules --without-readline --with-dbmliborder= > "$WORK/configure.log" 2>&1) \
    || { tail -30 "$WORK/configure.log"; exit 1; }
  log "CPython make -j$JOBS (a few minutes)"
  (cd "$py" && make -j"$JOBS" > "$WORK/make.log" 2>&1) || { tail -40 "$WORK/make.log"; exit 1; }
  log "CPython make install"
  (cd "$py" && make install > "$WORK/install.log" 2>&1) || { tail -40 "$WORK/install.log"; exit 1; }
}

check_python() {
  local py=$PREFIX/bin/python3.11
  "$py" - <<'EOF'
import ctypes, decimal, pyexpat, sqlite3, sys, zlib, xml.etree.ElementTree, _elementtree
con = sqlite3.connect(":memory:")
con.execute("create virtual table t using fts5(x, tokenize='trigram')")
con.execute("create virtual table u using fts4(x)")
con.execute("insert into t values ('法治政府建设年度报告')")
assert con.execute("select count(*) from t where t match '政府建'").fetchone()[0] == 1
assert ctypes.pythonapi.Py_IncRef
print(f"compat Python {sys.version.split()[0]}: sqlite {sqlite3.sqlite_version} (fts4, fts5 "
      f"trigram), zlib {zlib.ZLIB_VERSION}, expat {pyexpat.EXPAT_VERSION}, ctypes, _decimal")
EOF
  "$HOSTPY" packaging/check_glibc.py "$PREFIX" | tail -5
}

# --- the wheels: downloaded by the host pip for manylinux ≤ 2.28, installed offline -------------
install_wheels() {
  local wheels=$ROOT/build/compat-wheels platforms=()
  for t in manylinux_2_28 manylinux_2_27 manylinux_2_26 manylinux_2_24 manylinux_2_17 \
           manylinux2014 manylinux2010 manylinux1; do platforms+=(--platform "${t}_x86_64"); done
  log "downloading wheels (packaging/requirements-dist.txt) for manylinux ≤ 2.28"
  "$HOSTPY" -m pip download -q --disable-pip-version-check --only-binary=:all: "${platforms[@]}" \
    --python-version 3.11 --implementation cp --abi cp311 -d "$wheels" \
    -r packaging/requirements-dist.txt > "$WORK/pip-download.log" 2>&1 \
    || { cat "$WORK/pip-download.log"; exit 1; }
  log "installing them into build/py-compat"
  "$PREFIX/bin/python3.11" -m pip install -q --disable-pip-version-check \
    --root-user-action=ignore --no-index --find-links "$wheels" -r packaging/requirements-dist.txt
}

if [ "$(cat "$PREFIX/.built" 2>/dev/null)" != "$build_hash" ] || [ ! -x "$PREFIX/bin/python3.11" ]; then
  start=$SECONDS
  for tool in tclsh make patch gcc ar apt-get; do
    command -v "$tool" >/dev/null \
      || { echo "error: $tool is missing (.ci/run installs it)" >&2; exit 1; }
  done
  ensure_zig
  fetch_sources
  build_deps
  build_python
  check_python
  # the build trees (about 400 MB) are not needed any more; the logs stay in build/py-compat-work
  rm -rf "$WORK/cpython" "$WORK/zlib" "$WORK/libffi" "$WORK/sqlite" "$WORK/debian"
  rm -f "$PREFIX/.wheels"
  echo "$build_hash" > "$PREFIX/.built"
  log "compat Python built in $((SECONDS - start)) s"
fi
if [ "$(cat "$PREFIX/.wheels" 2>/dev/null)" != "$wheels_hash" ]; then
  start=$SECONDS
  install_wheels
  echo "$wheels_hash" > "$PREFIX/.wheels"
  log "wheels installed in $((SECONDS - start)) s"
fi
