"""Keys and preedit text between Qt and fcitx 4 (pure functions, no D-Bus, no widgets).

fcitx 4 speaks X11: a key is an X keysym, the hardware keycode and the X modifier state *as it
was before the key* (pressing Ctrl reports no Ctrl; releasing it reports Ctrl). On the xcb
platform Qt hands these over unchanged (QKeyEvent.nativeVirtualKey / nativeScanCode /
nativeModifiers), so real keyboard input needs no mapping at all. The tables here serve the rest:
key events with no native part (made by the program or by tests), and keys that fcitx sends back
(ForwardKey), which must become QKeyEvents.

fcitx's preedit arrives as segments with fcitx 4 message flags and a cursor counted in UTF-8
bytes; Qt counts UTF-16 units. ``preedit_parts`` converts.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt

K = Qt.Key

# Qt key -> X keysym for keys that are not characters (X11/keysymdef.h).
_SPECIAL: dict[int, int] = {
    K.Key_Escape: 0xFF1B, K.Key_Tab: 0xFF09, K.Key_Backtab: 0xFE20, K.Key_Backspace: 0xFF08,
    K.Key_Return: 0xFF0D, K.Key_Enter: 0xFF8D, K.Key_Insert: 0xFF63, K.Key_Delete: 0xFFFF,
    K.Key_Pause: 0xFF13, K.Key_Print: 0xFF61, K.Key_SysReq: 0xFF15, K.Key_Clear: 0xFF0B,
    K.Key_Home: 0xFF50, K.Key_End: 0xFF57, K.Key_Left: 0xFF51, K.Key_Up: 0xFF52,
    K.Key_Right: 0xFF53, K.Key_Down: 0xFF54, K.Key_PageUp: 0xFF55, K.Key_PageDown: 0xFF56,
    K.Key_Shift: 0xFFE1, K.Key_Control: 0xFFE3, K.Key_Meta: 0xFFE7, K.Key_Alt: 0xFFE9,
    K.Key_AltGr: 0xFE03, K.Key_CapsLock: 0xFFE5, K.Key_NumLock: 0xFF7F,
    K.Key_ScrollLock: 0xFF14, K.Key_Super_L: 0xFFEB, K.Key_Super_R: 0xFFEC,
    K.Key_Menu: 0xFF67, K.Key_Hyper_L: 0xFFED, K.Key_Hyper_R: 0xFFEE, K.Key_Help: 0xFF6A,
    K.Key_Mode_switch: 0xFF7E, K.Key_Space: 0x20,
    **{K.Key_F1 + i: 0xFFBE + i for i in range(35)},  # F1..F35 are consecutive in both
}
_SPECIAL_BACK: dict[int, int] = {sym: key for key, sym in _SPECIAL.items()}
_SPECIAL_BACK.update({0xFFE2: K.Key_Shift, 0xFFE4: K.Key_Control, 0xFFE8: K.Key_Meta,
                      0xFFEA: K.Key_Alt, 0xFF09: K.Key_Tab})
# Keypad keysyms (KP_0..KP_9, KP_Decimal …) as the characters they type.
_KEYPAD_TEXT = {0xFFB0 + i: str(i) for i in range(10)} | {
    0xFFAE: ".", 0xFFAA: "*", 0xFFAB: "+", 0xFFAD: "-", 0xFFAF: "/", 0xFF80: " "}

# X modifier state bits (X.h) and the Qt modifiers they correspond to on X11.
SHIFT, LOCK, CONTROL, MOD1, MOD2, MOD4 = 1, 2, 4, 8, 16, 64
_MODS = ((Qt.KeyboardModifier.ShiftModifier, SHIFT), (Qt.KeyboardModifier.ControlModifier, CONTROL),
         (Qt.KeyboardModifier.AltModifier, MOD1), (Qt.KeyboardModifier.MetaModifier, MOD4))
# A modifier key's own bit: X reports it in the state of its release, not of its press.
_OWN_BIT = {K.Key_Shift: SHIFT, K.Key_Control: CONTROL, K.Key_Alt: MOD1, K.Key_Meta: MOD4,
            K.Key_Super_L: MOD4, K.Key_Super_R: MOD4, K.Key_CapsLock: LOCK}

UNICODE_KEYSYM = 0x01000000  # keysyms for characters outside Latin-1: 0x01000000 + code point


def char_keysym(ch: str) -> int:
    """The keysym that types ``ch`` (one character)."""
    cp = ord(ch)
    if 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xFF:
        return cp
    return UNICODE_KEYSYM | cp


def qt_to_keysym(key: int, text: str = "", modifiers=Qt.KeyboardModifier.NoModifier) -> int:
    """The X keysym of a Qt key event (0 when there is none, e.g. Key_unknown)."""
    key = int(key)
    if key in _SPECIAL:
        return _SPECIAL[key]
    # The text is what the key types (it already accounts for Shift and the layout), except
    # with Ctrl, where it is a control character: then the key code decides.
    if len(text) == 1 and text.isprintable():
        return char_keysym(text)
    if ord("A") <= key <= ord("Z"):
        shifted = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        return key if shifted else key + 0x20  # Qt names letters by their capital
    if 0x20 <= key <= 0xFF:
        return key  # digits and punctuation: Qt's key codes are their Latin-1 code points
    if 0xFF < key < UNICODE_KEYSYM:
        return UNICODE_KEYSYM | key
    return 0


def qt_to_state(modifiers, key: int = 0, release: bool = False) -> int:
    """The X modifier state for Qt ``modifiers`` as X would report it for ``key``."""
    state = 0
    for qt_mod, bit in _MODS:
        if modifiers & qt_mod:
            state |= bit
    own = _OWN_BIT.get(int(key), 0)
    # Qt reports a modifier key's press with its own modifier and its release without; X the
    # other way round.
    return (state | own) if release else (state & ~own)


def state_to_qt(state: int) -> Qt.KeyboardModifier:
    modifiers = Qt.KeyboardModifier.NoModifier
    for qt_mod, bit in _MODS:
        if state & bit:
            modifiers |= qt_mod
    return modifiers


class QtKey(NamedTuple):
    key: int
    text: str
    modifiers: Qt.KeyboardModifier


def keysym_to_qt(keysym: int, state: int = 0) -> QtKey:
    """A keysym from fcitx (ForwardKey) as Qt key, text and modifiers."""
    modifiers = state_to_qt(state)
    if keysym in _KEYPAD_TEXT:
        text = _KEYPAD_TEXT[keysym]
        return QtKey(ord(text) if text != " " else int(K.Key_Space), text,
                     modifiers | Qt.KeyboardModifier.KeypadModifier)
    if keysym in _SPECIAL_BACK:
        key = int(_SPECIAL_BACK[keysym])
        text = {K.Key_Return: "\r", K.Key_Enter: "\r", K.Key_Tab: "\t", K.Key_Backspace: "\b",
                K.Key_Escape: "\x1b", K.Key_Space: " "}.get(key, "")
        return QtKey(key, text, modifiers)
    if 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF:
        ch = chr(keysym)
    elif keysym & 0xFF000000 == UNICODE_KEYSYM:
        ch = chr(keysym & 0x00FFFFFF)
    else:
        return QtKey(int(K.Key_unknown), "", modifiers)
    upper = ch.upper()
    key = ord(upper) if len(upper) == 1 else ord(ch)
    # With Ctrl or Alt a key is a command, not text (Qt's own events carry no printable text).
    commands = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    return QtKey(key, "" if modifiers & commands else ch, modifiers)


def key_event_args(event, release: bool) -> tuple[int, int, int]:
    """(keysym, keycode, state) of a QKeyEvent for fcitx's ProcessKeyEvent."""
    sym = event.nativeVirtualKey()
    if sym:
        # A real X key event: Qt passes X's own values through.
        return sym, event.nativeScanCode(), event.nativeModifiers()
    key = event.key()
    return (qt_to_keysym(key, event.text(), event.modifiers()), event.nativeScanCode(),
            qt_to_state(event.modifiers(), key, release))


# --- preedit ---------------------------------------------------------------------------------

# fcitx 4's message flags on preedit segments (fcitx/ui.h).
MSG_NOUNDERLINE = 1 << 3
MSG_HIGHLIGHT = 1 << 4
MSG_DONOT_COMMIT_WHEN_UNFOCUS = 1 << 5


def qt_length(text: str) -> int:
    """Length in UTF-16 units, as Qt counts positions (CJK extension B counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def utf8_to_qt_pos(text: str, byte_pos: int) -> int:
    """fcitx's preedit cursor (UTF-8 bytes into ``text``) as a Qt position; -1 stays -1."""
    if byte_pos < 0:
        return -1
    head = text.encode("utf-8")[:byte_pos].decode("utf-8", "ignore")
    return qt_length(head)


class Span(NamedTuple):
    start: int  # Qt position
    length: int
    underline: bool
    highlight: bool


class Preedit(NamedTuple):
    text: str  # what the box shows under the cursor
    commit_text: str  # what is kept when the box loses focus mid-composition
    spans: tuple[Span, ...]
    cursor: int  # Qt position in text, -1: no cursor


EMPTY_PREEDIT = Preedit("", "", (), -1)


def preedit_parts(segments, cursor_bytes: int) -> Preedit:
    """fcitx's UpdateFormattedPreedit(a(si), i) as text, formatting spans and a Qt cursor."""
    text, keep, spans, pos = [], [], [], 0
    for piece, flags in segments:
        length = qt_length(piece)
        text.append(piece)
        if not flags & MSG_DONOT_COMMIT_WHEN_UNFOCUS:
            keep.append(piece)
        if length:
            spans.append(Span(pos, length, not flags & MSG_NOUNDERLINE,
                              bool(flags & MSG_HIGHLIGHT)))
        pos += length
    joined = "".join(text)
    return Preedit(joined, "".join(keep), tuple(spans), utf8_to_qt_pos(joined, cursor_bytes))
