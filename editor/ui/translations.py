"""Qt's own texts in Chinese: the translation catalogues shipped with PySide6, plus the few
texts they lack or word differently from this program.

Qt 6 changed some source texts of its file dialog (“&Look in:”, “Files of &type:”) without the
zh_CN catalogue following, so the non-native file dialog showed them in English. The catalogue
also says 撤消 where the program says 撤销, and names arrow keys 上方向/下方向 in shortcuts
(“Alt+上方向”), where a Word user reads “Alt+↑”. :class:`SupplementTranslator` answers those
first and leaves everything else to Qt's catalogue.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

#: Catalogues loaded from PySide6's translations folder: every Qt text the window and its
#: dialogs show (file, message, input and colour dialogs, text box menus, shortcuts) is in
#: qtbase. Qt's meta catalogue qt_zh_CN does not load from PySide6's folder (it names modules
#: the wheel does not ship), so it is not relied on.
QT_CATALOGUES = ("qtbase_zh_CN",)

_UNDO = "撤销(&U)"
#: (context, source text) → text. Contexts are Qt's class names.
SUPPLEMENT: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&I)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Files of type:"): "文件类型：",
    ("QFileDialog", "File &name:"): "文件名(&N)：",
    ("QFileDialog", "&File name:"): "文件名(&N)：",
    ("QFileSystemModel", "Size"): "大小",
    ("QLineEdit", "&Undo"): _UNDO,
    ("QWidgetTextControl", "&Undo"): _UNDO,
    ("QUndoStack", "Undo %1"): "撤销 %1",
    ("QUndoGroup", "Undo %1"): "撤销 %1",
    ("QUndoStack", "Undo"): "撤销",
    ("QUndoGroup", "Undo"): "撤销",
    ("QShortcut", "Up"): "↑",
    ("QShortcut", "Down"): "↓",
    ("QShortcut", "Left"): "←",
    ("QShortcut", "Right"): "→",
}


class SupplementTranslator(QTranslator):
    """Answers the texts of :data:`SUPPLEMENT`; None lets Qt ask the next catalogue."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if isinstance(context, bytes):
            context = context.decode("utf-8", "replace")
        if isinstance(source_text, bytes):
            source_text = source_text.decode("utf-8", "replace")
        return SUPPLEMENT.get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def translations_folder() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def install(app: QApplication) -> list[QTranslator]:
    """Load Qt's Chinese catalogues and the supplement (once per application). Returns the
    translators in use; an empty list if no catalogue was found (the texts stay English)."""
    installed = getattr(app, "_zh_translators", None)
    if installed is not None:
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed = []
    folder = translations_folder()
    for name in QT_CATALOGUES:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    # Installed last, asked first.
    supplement = SupplementTranslator(app)
    app.installTranslator(supplement)
    installed.append(supplement)
    app._zh_translators = installed  # keep them alive as long as the app
    return installed


__all__ = ["QT_CATALOGUES", "SUPPLEMENT", "SupplementTranslator", "install",
           "translations_folder"]
