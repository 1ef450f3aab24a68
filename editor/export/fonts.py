"""Font names → the fonts a machine really has (for the PDF preview), via fontconfig."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..paths import resource

FONTS_CONF = ("fonts", "fonts.conf")


def fontconfig_file() -> Path | None:
    """A private fonts.conf that includes the system configuration plus our aliases."""
    ours = resource(*FONTS_CONF)
    if not ours.exists():
        return None
    system = next((p for p in ("/etc/fonts/fonts.conf", "/usr/local/etc/fonts/fonts.conf")
                   if os.path.exists(p)), None)
    # The alias file must come after the system config's <dir>s but before its fallback
    # rules; including ours first lets strong bindings win over later weak defaults.
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{ours}</include>\n')
    if system:
        text += f'  <include ignore_missing="yes">{system}</include>\n'
    text += "</fontconfig>\n"
    path = Path(tempfile.gettempdir()) / f"report-editor-fonts-{os.getuid() if hasattr(os, 'getuid') else 0}.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def resolve_fonts(names: list[str]) -> dict[str, str]:
    """Which real font each requested family resolves to (``fc-match``), with our aliases."""
    exe = shutil.which("fc-match")
    if not exe:
        return {}
    env = dict(os.environ)
    conf = fontconfig_file()
    if conf:
        env["FONTCONFIG_FILE"] = str(conf)
    out = {}
    for name in names:
        try:
            res = subprocess.run([exe, "-f", "%{family}", f"{name}:lang=zh-cn"], check=False, env=env,
                                 capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            continue
        families = [f.strip() for f in res.stdout.split(",") if f.strip()]
        if families:
            # A real font answers to its localised name too (FangSong_GB2312 = 仿宋_GB2312).
            out[name] = name if name in families else families[0]
    return out
