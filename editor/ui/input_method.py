"""Chinese input on Linux: point Qt at an input method it can actually talk to.

PySide6's Qt carries only the ``ibus`` and ``compose`` input-context plugins; Qt's fcitx plugin
comes with the system Qt, and one built for another Qt version does not load into ours (it uses
Qt's private API: Debian's Qt 6.4 build fails with an undefined private symbol). Yet UOS, Kylin,
deepin and many Ubuntu/Debian desktops export ``QT_IM_MODULE=fcitx``. Qt then falls back to
``compose`` and every key reaches the editor as a Latin letter: no Chinese at all.

What was measured (Xvfb, typing ``nihao`` + space into a QLineEdit/QPlainTextEdit; see
tests/test_input_method.py):

* IBus + ``QT_IM_MODULE=ibus``: 你好. With ``QT_IM_MODULE`` unset Qt uses ``compose`` on X11:
  nihao.
* fcitx5 implements IBus's D-Bus protocol (its ``ibusfrontend`` addon). Qt's ibus plugin reaches
  it either through the address file fcitx5 writes (but only when an ``ibus-daemon`` program is
  on PATH: Qt's plugin declares itself invalid otherwise) or, always, through the
  ``org.freedesktop.portal.IBus`` name when ``IBUS_USE_PORTAL`` is set: 你好.
* ``QT_IM_MODULES`` (Qt 6.8+: the string is absent from 6.7.3's QtGui) is a fallback list and
  beats ``QT_IM_MODULE``; ``fcitx;ibus`` uses ibus when no fcitx plugin loads, even a broken
  one on QT_PLUGIN_PATH.
* fcitx 4 speaks only its own D-Bus protocol and XIM; Qt 6 has no XIM and its bundled plugins
  do not speak fcitx's protocol: no environment setting makes it work (measured: nihao). The
  program speaks that protocol itself (editor.ui.fcitx4_bridge): 你好.

So: when the running input method is fcitx5 or IBus and Qt would not reach it, add ``ibus`` to
the end of ``QT_IM_MODULES`` (keeping what was asked for first, so a fcitx plugin that does
load still wins) and, for fcitx5, set ``IBUS_USE_PORTAL=1``. ``QT_IM_MODULE`` itself is left
alone: programs this one opens (WPS, LibreOffice through QDesktopServices) inherit the
environment, and Qt 5 programs, which have their own fcitx plugin, read only that variable.
(Qt before 6.8, which pyproject still allows, knows no list: there ``QT_IM_MODULE=ibus``.)

Detection reads a few small files, never starts a process or opens a D-Bus connection: start-up
time matters, and this runs before the QApplication exists. Call ``prepare_input_method()``
before constructing the QApplication and ``install_input_bridge(app)`` right after it (it
connects to fcitx 4 when that is what runs, and imports nothing otherwise);
``input_method_description()`` says in plain Chinese what was found, for the About dialog.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

# The running input method, as detect_running() names it.
FCITX5 = "fcitx5"
IBUS = "ibus"
FCITX4 = "fcitx4"

# Plugin keys that mean "the user deliberately wants no input-method server": left alone.
_NO_SERVER_KEYS = frozenset({"compose", "none", "wayland", "qtvirtualkeyboard"})
# Keys of fcitx's own Qt plugins (fcitx5-qt registers both, fcitx-qt5's Qt 6 build "fcitx").
_FCITX_KEYS = frozenset({"fcitx", "fcitx5"})
# Platforms on which Qt loads no input-context plugin at all.
_HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb",
                                 "eglfs", "vkkhrdisplay"})

OFF_SWITCH = "REPORT_EDITOR_IM"  # =keep: change nothing (for a user whose setup already works)


class Decision(NamedTuple):
    """What to set in the environment before the QApplication exists, and what to tell the
    user. ``changes`` never removes a variable."""

    changes: dict[str, str]
    description: str


def requested_modules(env: Mapping[str, str], im_list: bool = True) -> list[str]:
    """The input-context keys Qt will try, in order (``im_list``: Qt 6.8+, where QT_IM_MODULES
    exists and wins over QT_IM_MODULE)."""
    listed = [m.strip().lower() for m in env.get("QT_IM_MODULES", "").split(";") if m.strip()]
    if listed and im_list:
        return listed
    single = env.get("QT_IM_MODULE", "").strip().lower()
    # "fcitx:param" style arguments: Qt uses the part before the colon as the key.
    return [single.split(":", 1)[0]] if single else []


def qpa_platform(env: Mapping[str, str], platforms: Iterable[str] = ("xcb",)) -> str:
    """The platform plugin Qt will most likely pick (xcb, wayland, offscreen, …)."""
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return asked.split(";", 1)[0].split(":", 1)[0].strip().lower()
    wayland_session = (env.get("XDG_SESSION_TYPE", "").lower() == "wayland"
                       or (bool(env.get("WAYLAND_DISPLAY")) and not env.get("DISPLAY")))
    # The PyInstaller build carries no wayland plugin: there Qt runs on XWayland (xcb).
    return "wayland" if wayland_session and "wayland" in set(platforms) else "xcb"


def decide(env: Mapping[str, str], plugins: Iterable[str], running: str | None, *,
           platform: str = sys.platform, platforms: Iterable[str] = ("xcb",),
           ibus_daemon_on_path: bool = False, im_list: bool = True) -> Decision:
    """The environment changes that let Qt reach the running input method.

    ``plugins``: the input-context keys our Qt can load ("ibus", "compose", …); ``running``:
    FCITX5, IBUS, FCITX4 or None (unknown); ``ibus_daemon_on_path``: whether an ibus-daemon
    program is on PATH (Qt's ibus plugin refuses its non-portal mode without one);
    ``im_list``: whether our Qt reads QT_IM_MODULES (6.8+).
    """
    if platform.startswith(("win", "cygwin", "darwin")):
        # Qt's own Windows/macOS input-method support works; nothing to fix there.
        name = "macOS" if platform.startswith("darwin") else "Windows"
        return Decision({}, f"输入法：{name} 系统输入法")
    if env.get(OFF_SWITCH, "").strip().lower() == "keep":
        return Decision({}, f"输入法：按系统设置（{OFF_SWITCH}=keep，未自动调整）")
    qpa = qpa_platform(env, platforms)
    if qpa in _HEADLESS_PLATFORMS:
        return Decision({}, "输入法：无（无界面运行）")

    plugins = {p.lower() for p in plugins}
    asked = requested_modules(env, im_list)
    first = asked[0] if asked else ""
    running_name = {FCITX5: "fcitx5", IBUS: "IBus", FCITX4: "fcitx 4"}.get(running or "", "")

    if first in _FCITX_KEYS and first in plugins:
        return Decision({}, "输入法：fcitx")  # a real fcitx plugin: the best route, keep it
    if "ibus" not in plugins:
        # Nothing we could switch to (a build without the plugin): say what the user has.
        return Decision({}, f"输入法：{running_name or '未知'}（本程序缺少 IBus 接口插件）")
    if first in _NO_SERVER_KEYS:
        return Decision({}, f"输入法：按 Qt 设置 {first}（不经输入法程序）")
    if not first and qpa == "wayland":
        # Qt's Wayland platform talks to the compositor's text-input protocol itself.
        return Decision({}, "输入法：Wayland 系统输入法接口")

    portal = {"IBUS_USE_PORTAL": "1"}
    if first == "ibus":
        # Already asked for; fcitx5 answers it only through the portal unless ibus-daemon is
        # installed (measured: without it Qt's plugin gives up and Chinese input is lost).
        if running == FCITX5 and not ibus_daemon_on_path and not env.get("IBUS_USE_PORTAL"):
            return Decision(portal, "输入法：fcitx5（经 IBus 接口）")
        if running == FCITX5:
            return Decision({}, "输入法：fcitx5（经 IBus 接口）")
        if running == FCITX4:
            return Decision({}, _FCITX4_TEXT)
        return Decision({}, "输入法：IBus" if running == IBUS else _NOT_FOUND_TEXT)

    if "ibus" in asked:
        fallback = {}  # ibus already in the list, after a plugin that is missing
    elif im_list:
        fallback = {"QT_IM_MODULES": ";".join([*asked, "ibus"])}
    else:
        fallback = {"QT_IM_MODULE": "ibus"}
    if running == IBUS:
        return Decision(fallback, "输入法：IBus")
    if running == FCITX5:
        return Decision({**fallback, **portal}, "输入法：fcitx5（经 IBus 接口）")
    if running == FCITX4:
        return Decision({}, _FCITX4_TEXT)  # the ibus route would only add a warning
    if not asked:
        # Nothing asked for and nothing found running: leave Qt's default.
        return Decision({}, _NOT_FOUND_TEXT)
    # An input method was asked for (fcitx, xim, …) that Qt cannot load and none was found
    # running: the portal route still connects when fcitx5 or IBus starts later, and costs
    # nothing but a Qt warning on stderr when neither ever does.
    return Decision({**fallback, **portal}, _NOT_FOUND_TEXT)


_NOT_FOUND_TEXT = "输入法：未检测到（如不能输入中文，请先启动 fcitx5 或 IBus）"
_FCITX4_TEXT = "输入法：fcitx 4（经本程序的 fcitx 4 接口）"
_FCITX4_FAILED_TEXT = "输入法：fcitx 4（连接失败，暂时不能输入中文；可改用 fcitx5 或 IBus）"


def wants_fcitx4_bridge(env: Mapping[str, str], plugins: Iterable[str], running: str | None,
                        *, platform: str = sys.platform, platforms: Iterable[str] = ("xcb",),
                        im_list: bool = True) -> bool:
    """Whether the program must talk to fcitx 4 itself (editor.ui.fcitx4_bridge): fcitx 4 runs,
    Qt runs on X11 (fcitx 4's keys are X keysyms), no fcitx plugin of our Qt would do it
    already, and the user did not ask for no input method at all."""
    if running != FCITX4 or not platform.startswith("linux"):
        return False
    if env.get(OFF_SWITCH, "").strip().lower() == "keep" or qpa_platform(env, platforms) != "xcb":
        return False
    asked = requested_modules(env, im_list)
    first = asked[0] if asked else ""
    if first in _FCITX_KEYS and first in {p.lower() for p in plugins}:
        return False  # a loadable fcitx plugin talks to fcitx itself: two would type twice
    return first not in _NO_SERVER_KEYS


# --- cheap detection -------------------------------------------------------------------------

def _config_home(env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_CONFIG_HOME")
    return Path(xdg) if xdg else Path(env.get("HOME") or Path.home()) / ".config"


def _machine_id() -> str:
    # libdbus reads these in this order; Qt's ibus plugin names its address file after it.
    for name in ("/var/lib/dbus/machine-id", "/etc/machine-id"):
        try:
            return Path(name).read_text(encoding="ascii").strip()
        except OSError:
            continue
    return ""


def _display(env: Mapping[str, str]) -> tuple[str, str]:
    """(host, display number) as Qt's ibus plugin and fcitx derive them from DISPLAY."""
    display = env.get("DISPLAY", "")
    host, _, rest = display.partition(":")
    return host or "unix", rest.split(".", 1)[0] or "0"


def _process_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8", errors="replace").strip()
    except (OSError, ValueError):
        return ""


def _ibus_address_pid(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("IBUS_DAEMON_PID="):
            value = line.partition("=")[2].strip()
            return int(value) if value.isdigit() else 0
    return 0


def _fcitx4_pid(path: Path) -> int:
    # fcitx 4 writes "<bus address>\0" then two native ints: its D-Bus daemon's pid and its own.
    # fcitx5 writes the same file for old clients, with zeros.
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    if len(data) < 9 or b"\0" not in data:
        return 0
    return int.from_bytes(data[-4:], sys.byteorder, signed=True)


def detect_running(env: Mapping[str, str]) -> str | None:
    """FCITX5, IBUS, FCITX4 or None, from the files the daemons leave in the user's config
    folder (checked against /proc, so a file left by a crashed daemon does not count)."""
    config = _config_home(env)
    machine = _machine_id()
    host, number = _display(env)
    candidates = []
    if env.get("IBUS_ADDRESS_FILE"):
        candidates.append(Path(env["IBUS_ADDRESS_FILE"]))
    if machine:
        if env.get("WAYLAND_DISPLAY"):
            candidates.append(config / "ibus" / "bus" / f"{machine}-unix-{env['WAYLAND_DISPLAY']}")
        candidates.append(config / "ibus" / "bus" / f"{machine}-{host}-{number}")
    for path in candidates:
        pid = _ibus_address_pid(path)
        name = _process_name(pid) if pid > 0 else ""
        if name.startswith("fcitx5"):
            return FCITX5
        if name.startswith("ibus-daemon"):
            return IBUS
    if machine:
        pid = _fcitx4_pid(config / "fcitx" / "dbus" / f"{machine}-{number}")
        if pid > 0 and _process_name(pid) == "fcitx":
            return FCITX4
    return None


def qt_plugin_keys() -> tuple[frozenset[str], frozenset[str]]:
    """(input-context keys, platform names) of the plugins our Qt can find, from file names
    (reading the plugins' metadata would mean loading Qt's plugin machinery)."""
    from PySide6.QtCore import QLibraryInfo

    dirs = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)]
    dirs += [d for d in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if d]
    contexts: set[str] = set()
    platforms: set[str] = set()
    for base in dirs:
        for name in _list(Path(base) / "platforminputcontexts"):
            low = name.lower()
            if "ibus" in low:
                contexts.add("ibus")
            elif "compose" in low:
                contexts.update(("compose", "xim"))
            elif "fcitx5" in low:
                contexts.update(("fcitx5", "fcitx"))
            elif "fcitx" in low:
                contexts.add("fcitx")
        for name in _list(Path(base) / "platforms"):
            if "wayland" in name.lower():
                platforms.add("wayland")
            elif "xcb" in name.lower():
                platforms.add("xcb")
    return frozenset(contexts), frozenset(platforms)


def _list(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


_last: Decision | None = None
_bridge_wanted = False
_bridge = None  # the fcitx 4 bridge, kept alive with the application


def prepare_input_method(env: os._Environ[str] | dict[str, str] | None = None) -> Decision:
    """Decide and apply (to ``env``, by default os.environ) the input-method settings. Must run
    before the QApplication is constructed: Qt reads these variables only then."""
    global _last, _bridge_wanted
    env = os.environ if env is None else env
    if sys.platform.startswith(("win", "cygwin", "darwin")):
        decision = decide(env, (), None)
        _bridge_wanted = False
    else:
        from PySide6.QtCore import qVersion

        contexts, platforms = qt_plugin_keys()
        major, minor = (int(x) for x in qVersion().split(".")[:2])
        running = detect_running(env)
        decision = decide(env, contexts, running, platforms=platforms,
                          ibus_daemon_on_path=shutil.which("ibus-daemon",
                                                           path=env.get("PATH")) is not None,
                          im_list=(major, minor) >= (6, 8))
        _bridge_wanted = wants_fcitx4_bridge(env, contexts, running, platforms=platforms,
                                             im_list=(major, minor) >= (6, 8))
    env.update(decision.changes)
    _last = decision
    return decision


def install_input_bridge(app):
    """Call right after the QApplication is made: when prepare_input_method() found fcitx 4,
    connect the program's text boxes to it (editor.ui.fcitx4_bridge, imported only then).
    Returns the bridge, or None (not needed, or it could not be set up: typing then stays
    plain, and the About dialog says so). Never raises."""
    global _bridge, _last
    if not _bridge_wanted or _bridge is not None:
        return _bridge
    try:
        from .fcitx4_bridge import install

        _bridge = install(app)
    except Exception as exc:  # noqa: BLE001 - a bug here must not stop the editor from starting
        print(f"fcitx 4 bridge not installed: {exc!r}", file=sys.stderr, flush=True)
        _bridge = None
    if _bridge is None and _last is not None:
        _last = Decision(_last.changes, _FCITX4_FAILED_TEXT)
    return _bridge


def input_method_description() -> str:
    """One plain-Chinese line for the About dialog, e.g. "输入法：fcitx5（经 IBus 接口）"; ""
    when this process did not create its QApplication through editor.ui.app (tests)."""
    return _last.description if _last is not None else ""
