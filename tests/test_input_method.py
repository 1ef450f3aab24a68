"""Chinese input through fcitx5/IBus (editor.ui.input_method).

The unit tests cover the decision over the environments the target desktops set; the end-to-end
tests start Xvfb, a D-Bus session and a real input method (fcitx5 with its pinyin engine, IBus
with libpinyin), type ``nihao`` and a space into a QLineEdit of a child process, and read the
text back: 你好 means Chinese reached the widget. They skip when those programs are missing
(Debian: xvfb xdotool dbus-daemon fcitx5 fcitx5-chinese-addons; ibus ibus-libpinyin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from editor.ui import input_method as im
from editor.ui.input_method import FCITX4, FCITX5, IBUS, decide, requested_modules

OURS = {"ibus", "compose", "xim"}  # what PySide6's Qt carries
X11 = {"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}
PORTAL = {"IBUS_USE_PORTAL": "1"}


def linux(env, plugins=OURS, running=None, **kw):
    kw.setdefault("platform", "linux")
    return decide({**X11, **env}, plugins, running, **kw)


# --- the decision ------------------------------------------------------------------------------

def test_fcitx_asked_fcitx5_running_goes_through_the_ibus_portal():
    d = linux({"QT_IM_MODULE": "fcitx"}, running=FCITX5)
    assert d.changes == {"QT_IM_MODULES": "fcitx;ibus", **PORTAL}
    assert d.description == "输入法：fcitx5（经 IBus 接口）"


def test_fcitx_asked_ibus_running_adds_ibus_without_the_portal():
    d = linux({"QT_IM_MODULE": "fcitx"}, running=IBUS)
    assert d.changes == {"QT_IM_MODULES": "fcitx;ibus"}
    assert d.description == "输入法：IBus"


def test_fcitx5_value_and_case_are_understood():
    assert linux({"QT_IM_MODULE": "FCITX5"}, running=FCITX5).changes == {
        "QT_IM_MODULES": "fcitx5;ibus", **PORTAL}


def test_xim_asked_means_an_input_method_is_wanted():
    # Qt 6 has no XIM ("xim" loads the compose plugin): fcitx 4 era setups still export it.
    assert linux({"QT_IM_MODULE": "xim"}, running=FCITX5).changes == {
        "QT_IM_MODULES": "xim;ibus", **PORTAL}


def test_fcitx4_running_changes_nothing_and_says_why():
    # No Qt plugin can reach fcitx 4: the program talks to it itself (editor.ui.fcitx4_bridge,
    # tests/test_fcitx4_bridge.py), the environment stays as it is.
    d = linux({"QT_IM_MODULE": "fcitx"}, running=FCITX4)
    assert d.changes == {}
    assert d.description == "输入法：fcitx 4（经本程序的 fcitx 4 接口）"


def test_a_loadable_fcitx_plugin_is_kept():
    d = linux({"QT_IM_MODULE": "fcitx"}, plugins=OURS | {"fcitx"}, running=FCITX5)
    assert d.changes == {}
    assert d.description == "输入法：fcitx"


def test_ibus_asked_and_running_is_left_alone():
    assert linux({"QT_IM_MODULE": "ibus"}, running=IBUS) == ({}, "输入法：IBus")


def test_ibus_asked_fcitx5_running_without_ibus_daemon_needs_the_portal():
    d = linux({"QT_IM_MODULE": "ibus"}, running=FCITX5, ibus_daemon_on_path=False)
    assert d.changes == PORTAL  # QT_IM_MODULE(S) untouched


def test_ibus_asked_fcitx5_running_with_ibus_daemon_already_works():
    assert linux({"QT_IM_MODULE": "ibus"}, running=FCITX5, ibus_daemon_on_path=True).changes == {}
    assert linux({"QT_IM_MODULE": "ibus", **PORTAL}, running=FCITX5).changes == {}


def test_ibus_already_in_the_fallback_list_is_not_added_twice():
    d = linux({"QT_IM_MODULES": "fcitx;ibus", "QT_IM_MODULE": "fcitx"}, running=FCITX5)
    assert d.changes == PORTAL


def test_qt_im_modules_wins_over_qt_im_module():
    assert requested_modules({"QT_IM_MODULE": "ibus", "QT_IM_MODULES": "fcitx; ibus"}) == [
        "fcitx", "ibus"]
    assert requested_modules({"QT_IM_MODULE": "fcitx:param"}) == ["fcitx"]
    assert requested_modules({"QT_IM_MODULES": "", "QT_IM_MODULE": ""}) == []


def test_qt_before_6_8_has_no_list_so_qt_im_module_is_switched():
    # PySide6 6.6/6.7 (allowed by pyproject) ignore QT_IM_MODULES: only QT_IM_MODULE works.
    assert linux({"QT_IM_MODULE": "fcitx"}, running=FCITX5, im_list=False).changes == {
        "QT_IM_MODULE": "ibus", **PORTAL}
    assert linux({"QT_IM_MODULE": "fcitx", "QT_IM_MODULES": "fcitx;ibus"}, running=IBUS,
                 im_list=False).changes == {"QT_IM_MODULE": "ibus"}
    assert requested_modules({"QT_IM_MODULE": "ibus", "QT_IM_MODULES": "fcitx"}, False) == ["ibus"]


def test_nothing_asked_on_x11_with_fcitx5_or_ibus_running():
    # Qt's default on X11 is compose: measured, IBus running and QT_IM_MODULE unset gives nihao.
    assert linux({}, running=FCITX5).changes == {"QT_IM_MODULES": "ibus", **PORTAL}
    assert linux({}, running=IBUS).changes == {"QT_IM_MODULES": "ibus"}
    assert linux({}, running=None).changes == {}


def test_nothing_asked_on_wayland_is_left_to_qt_unless_qt_runs_on_xwayland():
    wayland = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}
    assert linux(wayland, running=FCITX5, platforms={"xcb", "wayland"}).changes == {}
    # The PyInstaller build has no wayland plugin: Qt uses xcb, where compose is the default.
    assert linux(wayland, running=FCITX5, platforms={"xcb"}).changes == {
        "QT_IM_MODULES": "ibus", **PORTAL}


def test_fcitx_asked_nothing_detected_still_prepares_the_portal():
    d = linux({"QT_IM_MODULE": "fcitx"}, running=None)
    assert d.changes == {"QT_IM_MODULES": "fcitx;ibus", **PORTAL}
    assert "未检测到" in d.description


@pytest.mark.parametrize("value", ["compose", "none"])
def test_a_deliberate_no_server_choice_is_kept(value):
    assert linux({"QT_IM_MODULE": value}, running=FCITX5).changes == {}


@pytest.mark.parametrize("platform", ["win32", "darwin", "cygwin"])
def test_windows_and_macos_are_never_touched(platform):
    d = decide({"QT_IM_MODULE": "fcitx"}, OURS, FCITX5, platform=platform)
    assert d.changes == {}
    assert "系统输入法" in d.description


def test_headless_platforms_are_not_touched():
    for qpa in ("offscreen", "offscreen:configfile=x.json", "minimal"):
        assert linux({"QT_IM_MODULE": "fcitx", "QT_QPA_PLATFORM": qpa}, running=FCITX5).changes == {}
    # An explicit xcb is a real screen.
    assert linux({"QT_IM_MODULE": "fcitx", "QT_QPA_PLATFORM": "xcb"}, running=FCITX5).changes


def test_the_off_switch_keeps_everything():
    d = linux({"QT_IM_MODULE": "fcitx", im.OFF_SWITCH: "keep"}, running=FCITX5)
    assert d.changes == {}


def test_without_the_ibus_plugin_there_is_nothing_to_switch_to():
    assert linux({"QT_IM_MODULE": "fcitx"}, plugins={"compose"}, running=FCITX5).changes == {}


# --- detection from files -----------------------------------------------------------------------

@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setattr(im, "_machine_id", lambda: "m1d")
    names = {}
    monkeypatch.setattr(im, "_process_name", lambda pid: names.get(pid, ""))
    env = {"HOME": str(tmp_path), "DISPLAY": ":1.0"}
    return tmp_path, env, names


def write_ibus_file(root: Path, pid: int, name: str = "m1d-unix-1") -> None:
    bus = root / ".config" / "ibus" / "bus"
    bus.mkdir(parents=True, exist_ok=True)
    (bus / name).write_text(f"# written by fcitx5\nIBUS_ADDRESS=unix:path=/tmp/x\n"
                            f"IBUS_DAEMON_PID={pid}\n")


def test_detects_fcitx5_from_the_ibus_address_file(home):
    root, env, names = home
    write_ibus_file(root, 4242)
    names[4242] = "fcitx5"
    assert im.detect_running(env) == FCITX5
    names[4242] = "ibus-daemon"
    assert im.detect_running(env) == IBUS


def test_a_file_left_by_a_dead_daemon_does_not_count(home):
    root, env, _ = home
    write_ibus_file(root, 4242)  # no such process
    assert im.detect_running(env) is None
    write_ibus_file(root, 0)  # what fcitx5 leaves on a clean exit: empty values
    assert im.detect_running(env) is None


def test_detects_fcitx4_from_its_dbus_file(home):
    root, env, names = home
    folder = root / ".config" / "fcitx" / "dbus"
    folder.mkdir(parents=True)
    data = b"unix:path=/tmp/dbus-x,guid=1\0" + (77).to_bytes(4, sys.byteorder) + (
        78).to_bytes(4, sys.byteorder)
    (folder / "m1d-1").write_bytes(data)
    names[78] = "fcitx"
    assert im.detect_running(env) == FCITX4
    names[78] = "fcitx5"  # fcitx5 writes the same file (with zeros) for old clients
    assert im.detect_running(env) is None


def test_xdg_config_home_and_wayland_display_name_the_file(home):
    root, env, names = home
    write_ibus_file(root / "cfg", 5, name="m1d-unix-wayland-0")
    names[5] = "fcitx5"
    env = {**env, "XDG_CONFIG_HOME": str(root / "cfg" / ".config"),
           "WAYLAND_DISPLAY": "wayland-0"}
    assert im.detect_running(env) == FCITX5


def test_our_qt_has_the_ibus_plugin_and_no_fcitx_plugin():
    contexts, platforms = im.qt_plugin_keys()
    assert "ibus" in contexts
    assert "fcitx" not in contexts  # if this fails, PySide6 ships fcitx: revisit the module
    assert "xcb" in platforms


def test_prepare_applies_the_changes_and_the_description(monkeypatch):
    monkeypatch.setattr(im, "detect_running", lambda env: FCITX5)
    monkeypatch.setattr(sys, "platform", "linux")
    env = {**X11, "QT_IM_MODULE": "fcitx", "PATH": "/nonexistent"}
    decision = im.prepare_input_method(env)
    assert env["QT_IM_MODULES"] == "fcitx;ibus" and env["IBUS_USE_PORTAL"] == "1"
    assert env["QT_IM_MODULE"] == "fcitx"  # inherited by programs we open: never changed
    assert im.input_method_description() == decision.description == "输入法：fcitx5（经 IBus 接口）"


def test_prepare_on_windows_changes_nothing(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    env = {"QT_IM_MODULE": "fcitx"}
    im.prepare_input_method(env)
    assert env == {"QT_IM_MODULE": "fcitx"}


# --- end to end: a real input method types into a real window ----------------------------------

CHILD = textwrap.dedent("""
    import os, sys
    sys.path.insert(0, sys.argv[3])
    if sys.argv[2] == "fix":
        from editor.ui.input_method import prepare_input_method
        print(prepare_input_method(), flush=True)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit
    out = sys.argv[1]
    app = QApplication(sys.argv[:1])
    edit = QLineEdit()
    edit.setWindowTitle("imtest-" + sys.argv[2])
    edit.show()
    edit.activateWindow()
    edit.setFocus()
    def dump(text):
        with open(out + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(out + ".tmp", out)
    edit.textChanged.connect(dump)
    QTimer.singleShot(200, lambda: open(out + ".ready", "w").close())
    QTimer.singleShot(15000, app.quit)
    app.exec()
""")

REPO = Path(__file__).resolve().parent.parent


def _missing(reason: str) -> None:
    """Skip locally; in CI (REPORT_EDITOR_REQUIRE_IM=1, set by .ci/run, which installs them)
    a missing input method fails the test instead of hiding it."""
    if os.environ.get("REPORT_EDITOR_REQUIRE_IM") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _need(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        _missing("not installed: " + " ".join(missing))


def _accepts(path: Path) -> bool:
    """Whether a Unix socket at ``path`` takes a connection."""
    import socket

    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


def _wait(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Session:
    """Xvfb + a private D-Bus session + a home folder of its own; stops all it started."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        try:
            self._start(tmp)
        except BaseException:
            self.close()  # no Xvfb left behind when the set-up fails half way
            raise

    def _start(self, tmp: Path) -> None:
        home = tmp / "home"
        (home / ".config").mkdir(parents=True)
        run = tmp / "run"
        run.mkdir(mode=0o700)
        read, write = os.pipe()
        self.spawn(["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24",
                    "-nolisten", "tcp"], env=os.environ, pass_fds=(write,))
        os.close(write)
        with os.fdopen(read, "rb") as pipe:  # Xvfb writes the display it chose once it is up
            number = pipe.readline().strip()
        if not number:
            pytest.fail("Xvfb did not start")
        bus = tmp / "bus"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("QT_", "IBUS_", "GTK_IM", "XMODIFIERS", "DBUS_", "WAYLAND"))}
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                   XDG_RUNTIME_DIR=str(run), DBUS_SESSION_BUS_ADDRESS=f"unix:path={bus}",
                   DISPLAY=f":{int(number)}", QT_QPA_PLATFORM="xcb", XDG_SESSION_TYPE="x11")
        self.env = env
        self.spawn(["dbus-daemon", "--session", "--nofork", "--nopidfile",
                    f"--address=unix:path={bus}"])
        # The socket file appears when dbus-daemon binds it, a moment before it listens.
        _wait(lambda: _accepts(bus), 10, "dbus-daemon")

    def spawn(self, argv, env=None, **kw) -> subprocess.Popen:
        proc = subprocess.Popen(argv, env=env or self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, **kw)
        self.procs.append(proc)
        return proc

    def run(self, *argv: str) -> str:
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=20,
                              check=False).stdout

    def type_into_child(self, mode: str, activate: list[str] | None) -> str:
        out = self.tmp / f"out-{mode}.txt"
        script = self.tmp / "child.py"
        script.write_text(CHILD, encoding="utf-8")
        child = self.spawn([sys.executable, str(script), str(out), mode, str(REPO)])
        _wait(lambda: Path(f"{out}.ready").exists(), 20, "the test window")
        window = _wait(lambda: self.run("xdotool", "search", "--name", f"imtest-{mode}").split(),
                       10, "the window id")[0]
        self.run("xdotool", "windowfocus", "--sync", window)
        if activate:
            self.run(*activate)
            time.sleep(0.3)
        self.run("xdotool", "type", "--delay", "40", "nihao")
        time.sleep(0.3)
        self.run("xdotool", "key", "space")
        try:
            _wait(lambda: out.exists() and out.read_text(encoding="utf-8").endswith(
                ("你好", " ")), 5, "the typed text")
        except AssertionError:
            pass
        child.terminate()
        child.wait(5)
        return out.read_text(encoding="utf-8") if out.exists() else ""

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture
def x_session(tmp_path):
    _need("Xvfb", "xdotool", "dbus-daemon")
    session = Session(tmp_path)
    yield session
    session.close()


FCITX5_PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""


def test_e2e_fcitx5_types_chinese_with_qt_im_module_fcitx(x_session):
    """UOS/deepin/Kylin with fcitx5: QT_IM_MODULE=fcitx, no fcitx plugin in our Qt."""
    _need("fcitx5", "fcitx5-remote")
    if not Path("/usr/share/fcitx5/addon/pinyin.conf").exists():
        _missing("fcitx5 pinyin engine not installed (fcitx5-chinese-addons)")
    s = x_session
    profile = Path(s.env["XDG_CONFIG_HOME"]) / "fcitx5" / "profile"
    profile.parent.mkdir(parents=True)
    profile.write_text(FCITX5_PROFILE, encoding="utf-8")
    s.env.update(QT_IM_MODULE="fcitx", GTK_IM_MODULE="fcitx", XMODIFIERS="@im=fcitx")
    s.spawn(["fcitx5", "--disable=wayland,waylandim,kimpanel,notificationitem,clipboard,emoji"])
    _wait(lambda: im.detect_running(s.env) == FCITX5, 15, "fcitx5's IBus address file")

    # Without the module: Qt falls back to compose, the keys arrive as Latin letters.
    assert s.type_into_child("keep", None) == "nihao "
    assert s.type_into_child("fix", ["fcitx5-remote", "-o"]) == "你好"


def test_e2e_ibus_types_chinese_with_qt_im_module_fcitx(x_session):
    """A desktop running IBus whose session still says QT_IM_MODULE=fcitx (or nothing)."""
    _need("ibus-daemon", "ibus")
    if not list(Path("/usr/share/ibus/component").glob("libpinyin*.xml")):
        _missing("ibus-libpinyin not installed")
    s = x_session
    s.env.update(QT_IM_MODULE="fcitx")
    s.spawn(["ibus-daemon", "--panel=disable", "--replace"])
    _wait(lambda: im.detect_running(s.env) == IBUS, 15, "ibus-daemon's address file")

    def libpinyin_selected() -> bool:
        s.run("ibus", "engine", "libpinyin")
        return s.run("ibus", "engine").strip() == "libpinyin"

    _wait(libpinyin_selected, 10, "the libpinyin engine")
    assert s.type_into_child("keep", None) == "nihao "
    assert s.type_into_child("fix", None) == "你好"
