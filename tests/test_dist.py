"""The self-contained Linux build (``make dist``, packaging/): its version, and the archive's
contents when one has been built. The archive itself is run offline by packaging/smoke_test.sh
(a separate CI step before the tests). Without an archive the archive tests skip, except when
REPORT_EDITOR_REQUIRE_DIST=1 (CI builds one first), where they fail."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from editor.version import print_version_if_asked, version, version_line

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'(?ms)^\[project\].*?^version\s*=\s*"([^"]+)"', text).group(1)


def test_version_is_pyprojects():
    assert version() == _pyproject_version()
    assert version_line().endswith(" " + _pyproject_version())


def test_version_flag(capsys):
    assert print_version_if_asked(["--version"])
    assert capsys.readouterr().out.strip() == version_line()
    assert not print_version_if_asked(["list"])
    assert not print_version_if_asked(["--version", "list"])


def test_frozen_entry_prints_version():
    out = subprocess.run([sys.executable, str(ROOT / "packaging" / "fazhi_main.py"), "--version"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    assert out.stdout.strip() == version_line()


@pytest.fixture(scope="module")
def archive() -> Path:
    name = f"fazhi-report-editor-{_pyproject_version()}-linux-x86_64.tar.gz"
    path = ROOT / "dist" / name
    if not path.exists():
        if os.environ.get("REPORT_EDITOR_REQUIRE_DIST"):
            pytest.fail(f"dist/{name} missing: CI builds it with make dist before the tests")
        pytest.skip(f"no dist/{name}: run `make dist` to build the archive these tests read")
    return path


@pytest.fixture(scope="module")
def members(archive) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(archive) as tar:
        return {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}


def test_archive_has_launcher_menu_entry_and_icon(members):
    for name in ("fazhi-report-editor", "install-menu-entry.sh", "app/fazhi-report-editor"):
        assert name in members and members[name].mode & 0o111, name
    for name in ("fazhi-report-editor.desktop", "fazhi.png", "fazhi.svg", "使用前请读我.txt",
                 "app/_internal/VERSION", "app/_internal/resources/examples",
                 "app/_internal/docx/templates/default-footer.xml"):
        assert name in members, name


def test_archive_carries_every_resource(members):
    ours = {p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()}
    carried = {n[len("app/_internal/"):] for n in members if n.startswith("app/_internal/resources/")}
    assert ours <= carried, sorted(ours - carried)[:5]


def test_archive_leaves_out_what_the_program_does_not_use(members):
    names = list(members)
    for unwanted in ("QtWebEngine", "Qt6Qml", "Qt6Quick", "Qt63D", "Qt6Multimedia", "numpy",
                     "pymupdf", "onnxruntime", "pytest", "hypothesis", "/tests/"):
        assert not [n for n in names if unwanted in n], unwanted
    qm = [n for n in names if n.endswith(".qm")]
    assert qm and all(n.endswith("_zh_CN.qm") for n in qm), qm


def test_archive_size_under_goal(members):
    unpacked = sum(m.size for m in members.values())
    assert unpacked <= 150 * 1024 * 1024, f"{unpacked / 2**20:.0f} MB unpacked"


# --- the oldest desktops: glibc / libstdc++ (packaging/target.env, packaging/check_glibc.py) ----

def _check_glibc():
    spec = importlib.util.spec_from_file_location("check_glibc",
                                                  ROOT / "packaging" / "check_glibc.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_glibc", module)
    spec.loader.exec_module(module)
    return module


check_glibc = _check_glibc()


def _elf_needing(versions: dict[str, list[str]], needed: tuple[str, ...] = ()) -> bytes:
    """A minimal x86-64 shared object whose .gnu.version_r needs ``versions`` ({file: [name]})
    and whose .dynamic lists ``needed``: what the checker reads, nothing else."""
    strtab = bytearray(b"\0")

    def add(s: str) -> int:
        strtab.extend(s.encode() + b"\0")
        return len(strtab) - len(s) - 1

    verneed = bytearray()
    files = list(versions.items())
    for i, (file, names) in enumerate(files):
        aux = b"".join(struct.pack("<IHHII", 0, 0, 2 + j, add(n), 16 if j < len(names) - 1 else 0)
                       for j, n in enumerate(names))
        nxt = 16 + len(aux) if i < len(files) - 1 else 0
        verneed += struct.pack("<HHIII", 1, len(names), add(file), 16, nxt) + aux
    dynamic = b"".join(struct.pack("<qQ", 1, add(n)) for n in needed) + struct.pack("<qQ", 0, 0)
    shstr = b"\0.dynstr\0.gnu.version_r\0.dynamic\0.shstrtab\0"
    body = [bytes(strtab), bytes(verneed), dynamic, shstr]
    offsets, pos = [], 64
    for b in body:
        offsets.append(pos)
        pos += len(b)
    shoff = pos
    header = (b"\x7fELF\x02\x01\x01" + b"\0" * 9
              + struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, 0, shoff, 0, 64, 56, 0, 64, 5, 4))
    sh = struct.pack("<IIQQQQIIQQ", *[0] * 10)
    sh += struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, offsets[0], len(body[0]), 0, 0, 1, 0)
    sh += struct.pack("<IIQQQQIIQQ", 9, 0x6FFFFFFE, 0, 0, offsets[1], len(body[1]), 1,
                      len(files), 8, 0)
    sh += struct.pack("<IIQQQQIIQQ", 24, 6, 0, 0, offsets[2], len(body[2]), 1, 0, 8, 16)
    sh += struct.pack("<IIQQQQIIQQ", 33, 3, 0, 0, offsets[3], len(body[3]), 0, 0, 1, 0)
    return header + b"".join(body) + sh


def test_floor_is_uos_v20():
    floor = check_glibc.read_floor()
    assert floor["GLIBC"] == "2.28" and floor["GLIBCXX"] == "3.4.25", floor


def test_glibc_check_reports_what_is_over_the_floor(tmp_path):
    (tmp_path / "old.so").write_bytes(_elf_needing(
        {"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.28"], "libstdc++.so.6": ["GLIBCXX_3.4.25"]},
        ("libc.so.6", "libstdc++.so.6")))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "new.so").write_bytes(_elf_needing(
        {"libc.so.6": ["GLIBC_2.34", "GLIBC_2.3"], "libstdc++.so.6": ["CXXABI_1.3.13",
                                                                      "GLIBCXX_3.4.29"]},
        ("libc.so.6", "libstdc++.so.6", "old.so")))
    (tmp_path / "notes.txt").write_text("not an ELF file")
    elves = check_glibc.scan(tmp_path)
    assert sorted(e.name for e in elves) == ["old.so", "sub/new.so"]
    assert check_glibc.highest(elves, "GLIBC") == ("2.34", "sub/new.so")
    assert check_glibc.highest(elves, "GLIBCXX") == ("3.4.29", "sub/new.so")
    bad = check_glibc.over_floor(elves)
    assert bad == ["sub/new.so: GLIBC_2.34 > GLIBC_2.28",
                   "sub/new.so: GLIBCXX_3.4.29 > GLIBCXX_3.4.25",
                   "sub/new.so: CXXABI_1.3.13 > CXXABI_1.3.11"], bad
    assert list(check_glibc.external_needs(elves)) == ["libc.so.6", "libstdc++.so.6"]
    assert check_glibc.main([str(tmp_path)]) == 1
    (tmp_path / "sub" / "new.so").unlink()
    assert check_glibc.main([str(tmp_path)]) == 0


def test_glibc_check_agrees_with_objdump():
    """The parser against binutils on this machine's own libpython (or the interpreter)."""
    objdump = shutil.which("objdump")
    if not objdump:
        pytest.skip("no objdump (binutils)")
    import sysconfig

    lib = (Path(sysconfig.get_config_var("LIBDIR") or "")
           / (sysconfig.get_config_var("LDLIBRARY") or ""))
    target = lib if lib.is_file() and lib.suffix != ".a" else Path(sys.executable).resolve()
    out = subprocess.run([objdump, "-T", str(target)], capture_output=True, text=True,
                         check=True).stdout
    want = {m for line in out.splitlines() if "*UND*" in line
            for m in re.findall(r"\bGLIBC_([0-9][0-9.]*)", line)}
    elf = check_glibc.parse_elf(target.name, target.read_bytes())
    assert want and elf.versions["GLIBC"] >= want, (want, elf.versions)
    assert elf.highest("GLIBC") == max(want, key=check_glibc.vkey)


@pytest.fixture(scope="module")
def elves(archive):
    return check_glibc.scan(archive)


def test_archive_runs_on_the_oldest_desktops(elves):
    """Every ELF file of the archive needs at most UOS V20's glibc 2.28 and gcc 8's libstdc++
    (GLIBCXX_3.4.25): the Python is built for it, Qt is PySide6 6.9 (manylinux_2_28), and the
    build machine's system libraries stay out (packaging/fazhi.spec, DESKTOP_LIBS)."""
    assert len(elves) > 20 and any(e.name.endswith("libpython3.11.so.1.0") for e in elves)
    assert not check_glibc.over_floor(elves), check_glibc.over_floor(elves)
    assert check_glibc.highest(elves, "GLIBC")[0] is not None


def test_archive_leaves_the_desktop_libraries_to_the_desktop(elves, members):
    carried = {Path(e.name).name for e in elves}
    for lib in ("libstdc++.so.6", "libgcc_s.so.1", "libX11.so.6", "libxcb.so.1",
                "libglib-2.0.so.0", "libfontconfig.so.1", "libfreetype.so.6", "libdbus-1.so.3",
                "libGL.so.1", "libEGL.so.1", "libexpat.so.1", "libz.so.1", "libffi.so.8",
                "libsqlite3.so.0", "libsystemd.so.0"):
        assert lib not in carried, lib
    # what Qt's xcb plugin needs and a desktop may lack is carried
    for lib in ("libxcb-cursor.so.0", "libxcb-util.so.1", "libxcb-icccm.so.4"):
        assert lib in carried, lib
    # the Python carries SQLite (with FTS5), zlib and libffi inside its modules
    assert "_sqlite3.cpython-311-x86_64-linux-gnu.so" in {Path(n).name for n in members}


def test_dist_requirements_pin_every_dependency():
    """make dist installs packaging/requirements-dist.txt, not pyproject.toml, into the Python it
    freezes: a dependency added to pyproject.toml must be pinned there too (with a wheel for
    manylinux_2_28 or older), or the archive lacks it."""
    from packaging.requirements import Requirement

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = re.search(r"(?ms)^dependencies = \[(.*?)^\]", text).group(1)
    deps = [Requirement(m) for m in re.findall(r'(?m)^\s*"([^"]+)"', block)]
    frozen = {"python_version": "3.11", "python_full_version": "3.11.2", "sys_platform": "linux",
              "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"}
    pins = {}
    for line in (ROOT / "packaging" / "requirements-dist.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            pins[req.name.lower().replace("_", "-")] = req
    for dep in deps:
        if dep.marker and not dep.marker.evaluate(frozen):
            continue
        name = dep.name.lower().replace("_", "-")
        assert name in pins, f"{dep.name} is not pinned in packaging/requirements-dist.txt"
        version = str(pins[name].specifier).removeprefix("==")
        assert dep.specifier.contains(version), (dep, version)
