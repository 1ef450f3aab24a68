"""What the user is told after an export: the message with 打开文件 / 打开所在文件夹 (and, after a
one-click export, 另存为…), and a free file name so that an export never replaces a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from .export_dialogs import VARIANT_LABELS

FONT_NOTE = "（代用字体，版面可能与装有原字体的电脑略有不同）"


def result_text(result, pdf_result, house_style: str = "") -> str:
    """What the message after an export says: the file, the version, what is missing, fonts."""
    label = VARIANT_LABELS.get(result.variant, result.variant)
    if pdf_result is None:
        lines = [f"已导出{label}：{result.path.name}（共 {result.pages} 页）",
                 f"位置：{result.path.parent}"]
    else:
        lines = [f"已导出{label}：{pdf_result.pdf.name} 和 {result.path.name}（共 {result.pages} 页）",
                 f"位置：{pdf_result.pdf.parent}"]
    style = house_style
    if style:
        from .export_dialogs import style_title

        lines.append(f"版式：{style_title(style)}")
    if result.warnings:
        lines += ["", "请注意，以下内容缺少或不完整（文件已照常生成，补上后请重新导出）："]
        lines += [f"· {w}" for w in result.warnings]
    if result.blank_page:
        lines += ["", f"正文结束于偶数页且已无空间，已加一页空白页，版记在第 {result.banji_page} 页（这两页不编页码）。"]
    if pdf_result is not None:
        subs = pdf_result.substitution_lines()
        if subs:
            lines += ["", "字体：本机缺少公文字体，PDF 中用了代用字体" + FONT_NOTE + "："]
            lines += [f"· {s}" for s in subs]
        if pdf_result.warnings:
            lines += ["", "PDF 检查："] + [f"· {w}" for w in pdf_result.warnings]
    return "\n".join(lines)


def free_name(path: Path) -> Path:
    """``path``, or the first of “name (2).docx”, “name (3).docx”… that is not taken."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def show_result(parent: QWidget, text: str, path: Path, modal: bool,
                save_as: Callable[[], object] | None = None) -> QMessageBox | None:
    """The message after an export; returns it while it stays open (``modal`` False)."""
    box = QMessageBox(QMessageBox.Icon.Information, "导出完成", text,
                      QMessageBox.StandardButton.NoButton, parent)
    open_file = box.addButton("打开文件", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
    another = box.addButton("另存为…", QMessageBox.ButtonRole.ActionRole) if save_as else None
    close = box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    # Font lines are long; a wider box keeps each on one or two lines instead of four.
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 460px; }")
    box.setDefaultButton(close)
    box.setEscapeButton(close)

    def clicked(button) -> None:
        if button is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif button is open_folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
        elif another is not None and button is another:
            QTimer.singleShot(0, save_as)

    if modal:
        box.exec()
        clicked(box.clickedButton())
        return None
    box.setModal(False)
    box.buttonClicked.connect(clicked)
    box.show()
    return box
