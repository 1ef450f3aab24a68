"""What the user sees of saving: 已保存 / 未保存 / 保存失败 at the left of the status bar with the
reason beside it, a warning box that does not block typing when a save fails, and at closing,
when nothing can be saved, the report written to a rescue file that 导入 reads back."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from editor.model import Report

from . import autosave
from .autosave import AutoSaver


class SaveState(QObject):
    def __init__(self, window, autosaver: AutoSaver) -> None:
        super().__init__(window)
        self.window = window
        self.autosaver = autosaver
        self.label = QLabel(window)  # 已保存 / 未保存 / 保存失败
        self.error_label = QLabel(window)  # why the last save failed
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(False)
        self._box: QMessageBox | None = None
        autosaver.state_changed.connect(self.show_state)

    def show_state(self, state: str, message: str) -> None:
        self.label.setText(autosave.LABELS[state])
        color = {autosave.SAVED: "#1b7f3b", autosave.ERROR: "#b00020"}.get(state, "#8a5a00")
        self.label.setStyleSheet(f"color: {color}; font-weight: bold;")
        if state == autosave.ERROR:
            self.error_label.setText(message)
            self.error_label.setToolTip(message)
            self.warn_failed()
        elif state == autosave.SAVED:
            self.error_label.clear()
            if self._box is not None:
                self._box.close()
                self._box = None

    def warn_failed(self, switching: bool = False) -> None:
        """A non-modal warning: the user may keep typing; the text stays in the window."""
        text = self.autosaver.message
        if switching:
            text += "\n\n为避免丢失文字，暂时不能切换到其他报告。"
        if self._box is None:
            box = QMessageBox(QMessageBox.Icon.Warning, "无法保存", text,
                              QMessageBox.StandardButton.Ok, self.window)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.finished.connect(lambda _r: setattr(self, "_box", None))
            self._box = box
        self._box.setText(text)
        self._box.show()

    def rescue(self, report: Report) -> bool:
        """The report could not be saved at closing: write it to 未保存的报告-….json (which 导入
        reads back whole) and say where. False if no folder took it (the window stays open)."""
        rescued = self.window.service.write_rescue_file(report)
        if rescued is None:
            QMessageBox.warning(
                self.window, "无法保存",
                f"{self.autosaver.message}\n\n也无法另存到其他位置，所以窗口没有关闭，"
                "以免丢失文字。请先解决上面的问题（或复制文字到别处）后再关闭。",
            )
            return False
        QMessageBox.information(
            self.window, "已另存",
            f"{self.autosaver.message}\n\n为避免丢失，当前报告已另存为：\n{rescued}\n"
            "问题解决后可以用“导入”把它找回。",
        )
        return True


__all__ = ["SaveState"]
