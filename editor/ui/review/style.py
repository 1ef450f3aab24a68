"""How the review looks, in one place: colours, severity marks and words, and the status
words of editor.check.

The statuses come from editor.model.status (light to import, unlike the checking engine,
which the window loads after its first paint).
"""

from __future__ import annotations

# ---- colours ----------------------------------------------------------------------------------
GREEN = "#1b7f3b"
RED = "#b00020"
ORANGE = "#9a5b00"
GREY = "#8a8a8a"
BLUE = "#3f5f8a"
#: The wavy underline in the text boxes (a warning's orange is lighter than ORANGE as text).
UNDERLINE = {"error": "#e0202e", "warning": "#e08a00"}

from editor.model.status import (  # noqa: F401  (re-exported for the review modules)
    APPROVED,
    ERROR,
    INFO,
    MET,
    MISSING,
    OPTIONAL,
    PENDING,
    RECOMMENDED,
    REQUIRED,
    STALE,
    STRONG,
    TICKED,
    UNTICKED,
    WARNING,
    WEAK,
)

# ---- words and marks ---------------------------------------------------------------------------
SEVERITY = {  # finding severity → (mark, word, colour)
    ERROR: ("✘", "错误", RED),
    WARNING: ("⚠", "提示", ORANGE),
    INFO: ("ℹ", "参考", BLUE),
}
ITEM_SEVERITY = {REQUIRED: "必查", RECOMMENDED: "建议", OPTIONAL: "可选"}
AUTO_MET = "✔ 已写到"
AUTO_WEAK = "？可能已写到"
AUTO_MISSING = "✘ 未写到"


def fix_words(finding) -> tuple[str, str]:
    """(what the fix does, for a list line; the menu entry that applies it)."""
    if finding.fix == "section":
        return (f"建议改为新的一节：“{finding.suggestion}”",
                f"改为新的一节“{finding.suggestion}”")
    if finding.suggestion:
        return f"建议改为：“{finding.suggestion}”", f"改正为“{finding.suggestion}”"
    return "建议删除", f"改正：删除“{finding.text}”"


def severity_mark(severity: str) -> tuple[str, str, str]:
    """(mark, word, colour) of a finding's severity."""
    return SEVERITY.get(severity, ("·", severity, ""))


def auto_text(auto: str, strength: str) -> tuple[str, str]:
    """What the checklist says about an item's detection, and its colour ("" for the usual)."""
    if auto != MET:
        return AUTO_MISSING, ""
    if strength == WEAK:
        return AUTO_WEAK, ORANGE
    return AUTO_MET, ""


def short_time(stamp: str) -> str:
    """2026-11-26T14:20:05 → 11-26 14:20."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[5:10]} {stamp[11:16]}"
    return stamp
