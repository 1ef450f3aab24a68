"""Chinese all the way: Qt's own texts are translated (file dialog, shortcuts, text
box menus), file dialogs start in 文档 or the last folder, no file extensions or technical words
in menus and hints, and 帮助 → 使用说明 shows the user guide."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QLabel, QTreeView, QWidget

from editor.ui import file_dialogs
from editor.ui.app import make_app
from editor.ui.help_feature import GUIDE_NAME, guide_path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ("Look in", "Files of type", "File name", "KiB", "bytes", "Cancel", "Open", "Save")
JARGON = ("toml", "正则", "数据库", "上方向", "下方向", "撤消", ".docx", ".txt", "(*")


def test_qt_texts_are_chinese_and_say_undo_and_arrows_our_way():
    make_app()
    native = QKeySequence.SequenceFormat.NativeText
    assert QKeySequence("Alt+Up").toString(native) == "Alt+↑"
    assert QKeySequence("Alt+Down").toString(native) == "Alt+↓"
    assert QCoreApplication.translate("QLineEdit", "&Undo") == "撤销(&U)"
    assert QCoreApplication.translate("QWidgetTextControl", "&Undo") == "撤销(&U)"
    assert QCoreApplication.translate("QUndoStack", "Undo %1") == "撤销 %1"
    assert QCoreApplication.translate("QDialogButtonBox", "OK") == "确定"  # qtbase still there
    assert QCoreApplication.translate("QFileDialog", "&Look in:") == "查找范围(&I)："
    assert QCoreApplication.translate("SomethingElse", "hello") == "hello"


def _texts(dialog: QFileDialog) -> list[str]:
    """Every text Qt's own file dialog shows: labels, buttons, tooltips, lists, headers."""
    out = []
    for w in dialog.findChildren(QWidget):
        for attr in ("text", "toolTip", "placeholderText"):
            f = getattr(w, attr, None)
            if callable(f):
                try:
                    value = f()
                except TypeError:
                    continue
                if isinstance(value, str) and value:
                    out.append(value)
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        out += [str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                for c in range(model.columnCount())]
        root = view.rootIndex()
        out += [str(model.index(r, c, root).data() or "") for r in range(model.rowCount(root))
                for c in range(model.columnCount(root))]
    return out


def test_the_qt_file_dialog_speaks_chinese_and_starts_in_the_folder(qtbot, tmp_path):
    make_app()
    (tmp_path / "去年的报告.docx").write_bytes(b"x" * 20000)
    (tmp_path / "空.txt").write_text("")
    dialog = file_dialogs.make_dialog(None, "导入报告", str(tmp_path),
                                      "报告文件 (*.docx *.txt);;所有文件 (*)")
    assert dialog.testOption(QFileDialog.Option.HideNameFilterDetails)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) == 2, timeout=5000)
    assert Path(dialog.directory().absolutePath()) == tmp_path
    texts = _texts(dialog)
    english = [t for t in texts if any(e in t for e in ENGLISH)]
    assert english == [], english
    assert not [t for t in texts if "*.docx" in t]
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert "查找范围：" in labels and "文件类型：" in labels and "文件名：" in labels
    sizes = [t for t in texts if t.endswith(("KB", "字节"))]
    assert "19.5 KB" in sizes and "0 字节" in sizes
    assert "大小" in texts
    dialog.close()


def test_format_size():
    assert file_dialogs.format_size(0) == "0 字节"
    assert file_dialogs.format_size(1023) == "1023 字节"
    assert file_dialogs.format_size(20000) == "19.5 KB"
    assert file_dialogs.format_size(150 * 1024) == "150 KB"
    assert file_dialogs.format_size(3 * 1024 ** 3) == "3.0 GB"


def test_import_starts_in_documents_then_in_the_last_folder(open_window, monkeypatch,
                                                            tmp_path):
    w = open_window()
    docs = tmp_path / "文档"
    docs.mkdir()
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: docs)
    seen: list[Path] = []
    chosen = tmp_path / "下载" / "2024年报告.txt"
    chosen.parent.mkdir()
    chosen.write_text("x", encoding="utf-8")

    def run(dialog):
        seen.append(Path(dialog.directory().absolutePath()))
        assert dialog.windowTitle() == "导入报告"
        return "", ""  # cancelled

    monkeypatch.setattr(file_dialogs, "_run", run)
    assert w.importer.import_file() is None
    assert seen[-1] == docs
    # A file was chosen in 下载 once: import (and any other file dialog) starts there next.
    file_dialogs.remember_folder(w, chosen, "import")
    w.importer.import_file()
    assert seen[-1] == chosen.parent
    assert file_dialogs.start_folder(w, "house_style") == chosen.parent
    assert w.export.folder() == chosen.parent


def _all_actions(window):
    seen, out = set(), []
    stack = [m.menuAction() for m in window.findChildren(type(window.menu("文件")))]
    stack += window.actions()
    while stack:
        act = stack.pop()
        if id(act) in seen:
            continue
        seen.add(id(act))
        out.append(act)
        if act.menu() is not None:
            stack += act.menu().actions()
    return out


def test_no_extensions_or_jargon_in_menus_hints_and_labels(open_window):
    w = open_window()
    native = QKeySequence.SequenceFormat.NativeText
    texts = []
    for act in _all_actions(w):
        texts += [act.text(), act.toolTip(), act.statusTip(), act.shortcut().toString(native)]
    for name in ("header", "preamble", "part", "section"):
        page = w.page(name)
        texts += [label.text() for label in page.findChildren(QLabel)]
        texts += [c.toolTip() for c in page.findChildren(QWidget)]
    dialog = w.search.show_find_replace(True)
    texts += [c.text() for c in dialog.findChildren(QWidget) if hasattr(c, "text")
              and isinstance(c.text(), str)]
    texts += [c.toolTip() for c in dialog.findChildren(QWidget)]
    bad = sorted({t for t in texts if t and any(j in t for j in JARGON)})
    assert bad == [], bad
    assert "Alt+↑" in texts and "Alt+↓" in texts
    assert dialog.regex.text() == "高级匹配（通配规则）"
    assert not [t for t in texts if re.search(r"撤消", t)]


def test_help_opens_the_user_guide(open_window, qtbot):
    w = open_window()
    feature = w.help
    assert feature.act_guide.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    menu = [a.text() for a in w.menu("帮助").actions() if a.text()]
    assert menu[0] == "使用说明" and "关于" in menu
    feature.act_guide.trigger()
    dialog = feature.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "使用说明"
    assert dialog.heading() == "法治政府建设年度报告编辑器 使用说明"
    text = dialog.browser.toPlainText()
    assert "新建报告" in text and "屏幕较小时" in text and "#" not in text.split("\n")[0]
    dialog.close()


def test_the_shipped_guide_is_the_docs_guide():
    """resources/help is what an installed program carries: it must be docs/使用说明.md (copy
    the docs file there after editing it)."""
    shipped = guide_path()
    assert shipped == ROOT / "resources" / "help" / GUIDE_NAME
    assert shipped.read_text(encoding="utf-8") == \
        (ROOT / "docs" / GUIDE_NAME).read_text(encoding="utf-8")


def test_size_proxy_leaves_other_columns_alone(qtbot, tmp_path):
    make_app()
    dialog = file_dialogs.make_dialog(None, "t", str(tmp_path), "")
    proxy = dialog.proxyModel()
    assert isinstance(proxy, file_dialogs.SizeProxy)
    assert proxy.data(QModelIndex()) is None
    QApplication.processEvents()
    dialog.close()
