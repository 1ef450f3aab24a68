"""Open and save dialogs that start where a clerk keeps files and speak Chinese throughout.

They start in the folder used last for the same purpose (import, export, 版式 file), else in
the last folder any of them used, else in the user's 文档 folder, never in the program's
folder. Where the platform has its own dialog (Windows, macOS, a GTK or portal desktop), Qt
shows that one, in the system's language. Elsewhere Qt draws its own dialog; for that one:

- the Chinese catalogue and its supplement are loaded (editor.ui.translations), so no
  “Look in” or “Files of type” remains;
- sizes read “19.5 KB” instead of Qt's “19.53 KiB” / “0 bytes”, which QLocale produces from
  locale data no translation can reach (:class:`SizeProxy`);
- the file types show their names only (“Word 文档”, not “(*.docx)”).

Tests replace :func:`get_open_file_name` / :func:`get_save_file_name` (same arguments and
results as QFileDialog's static functions); callers therefore call them through the module.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QStandardPaths, Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

from . import screen

STATE_LAST = "file_dialog.folder"  # the folder any file dialog was last left in
SIZE_COLUMN = 1  # QFileSystemModel: name, size, type, date


def format_size(size: int) -> str:
    """A file size as Windows Explorer writes it in Chinese: 字节, KB, MB, GB (1024 based)."""
    if size < 1024:
        return f"{size} 字节"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"
    return f"{size} 字节"  # pragma: no cover


class SizeProxy(QIdentityProxyModel):
    """The file list of Qt's own dialog, with sizes in Chinese units."""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.column() == SIZE_COLUMN:
            source = self.sourceModel()
            src = self.mapToSource(index)
            if isinstance(source, QFileSystemModel) and src.isValid():
                if source.isDir(src):
                    return ""
                return format_size(source.size(src))
        return super().data(index, role)


# ---- where to start -------------------------------------------------------------------------
def documents_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path.home()


def _service(widget: QWidget | None):
    """The ReportService of the window ``widget`` belongs to (its settings keep folders)."""
    while widget is not None:
        service = getattr(widget, "service", None)
        if service is not None:
            return service
        widget = widget.parentWidget()
    return None


def _state_key(key: str | None) -> str:
    return f"{key}.folder" if key else STATE_LAST


def start_folder(widget: QWidget | None, key: str | None = None) -> Path:
    """The folder last used for ``key`` (e.g. "import"), else the last one, else 文档."""
    service = _service(widget)
    if service is not None:
        for name in (_state_key(key), STATE_LAST):
            with contextlib.suppress(Exception):  # a remembered folder is a convenience
                folder = service.get_setting(name, "")
                if folder and Path(folder).is_dir():
                    return Path(folder)
    return documents_folder()


def remember_folder(widget: QWidget | None, path: str | Path, key: str | None = None) -> None:
    """Remember the folder of ``path`` (a file, or a folder) for ``key`` and for all."""
    service = _service(widget)
    if service is None or not path:
        return
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    for name in {_state_key(key), STATE_LAST}:
        with contextlib.suppress(Exception):
            service.set_setting(name, str(folder))


# ---- the dialogs ----------------------------------------------------------------------------
def make_dialog(parent: QWidget | None, title: str, directory: str, filters: str,
                save: bool = False) -> QFileDialog:
    """A QFileDialog set up as described in the module docstring (not shown yet)."""
    dialog = QFileDialog(parent, title, "", filters)
    dialog.setOption(QFileDialog.Option.HideNameFilterDetails)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    target = Path(directory) if directory else documents_folder()
    if target.is_dir():
        dialog.setDirectory(str(target))
    else:
        dialog.setDirectory(str(target.parent if target.parent.is_dir() else documents_folder()))
        dialog.selectFile(target.name)
    # Only Qt's own dialog uses these; a platform dialog ignores them.
    for label, text in ((QFileDialog.DialogLabel.LookIn, "查找范围："),
                        (QFileDialog.DialogLabel.FileName, "文件名："),
                        (QFileDialog.DialogLabel.FileType, "文件类型："),
                        (QFileDialog.DialogLabel.Accept, "保存" if save else "打开"),
                        (QFileDialog.DialogLabel.Reject, "取消")):
        dialog.setLabelText(label, text)
    dialog.setProxyModel(SizeProxy(dialog))
    places = [documents_folder(), Path.home()]
    desktop = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation)
    if desktop and Path(desktop).is_dir():
        places.insert(1, Path(desktop))
    dialog.setSidebarUrls([QUrl.fromLocalFile(str(p)) for p in dict.fromkeys(places)])
    screen.fit(dialog, 860, 560)
    return dialog


def _run(dialog: QFileDialog) -> tuple[str, str]:
    if dialog.exec() != QFileDialog.DialogCode.Accepted:
        return "", ""
    files = dialog.selectedFiles()
    return (files[0] if files else ""), dialog.selectedNameFilter()


def get_open_file_name(parent: QWidget | None, title: str, directory: str = "",
                       filters: str = "", *, key: str | None = None) -> tuple[str, str]:
    """Like QFileDialog.getOpenFileName; ``directory`` "" starts in :func:`start_folder`.
    The chosen folder is remembered for ``key``."""
    folder = directory or str(start_folder(parent, key))
    path, chosen = _run(make_dialog(parent, title, folder, filters))
    if path:
        remember_folder(parent, path, key)
    return path, chosen


def get_save_file_name(parent: QWidget | None, title: str, directory: str = "",
                       filters: str = "", *, key: str | None = None) -> tuple[str, str]:
    """Like QFileDialog.getSaveFileName; ``directory`` may name the suggested file."""
    folder = directory or str(start_folder(parent, key))
    path, chosen = _run(make_dialog(parent, title, folder, filters, save=True))
    if path:
        remember_folder(parent, path, key)
    return path, chosen


__all__ = ["SizeProxy", "documents_folder", "format_size", "get_open_file_name",
           "get_save_file_name", "make_dialog", "remember_folder", "start_folder"]
