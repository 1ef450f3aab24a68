"""The self-contained Linux build (``make dist``, packaging/): its version, and the archive's
contents when one has been built. The archive itself is run offline by packaging/smoke_test.sh
(a separate CI step before the tests). Without an archive the archive tests skip, except when
REPORT_EDITOR_REQUIRE_DIST=1 (CI builds one first), where they fail."""

from __future__ import annotations

import os
import re
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
