"""The main window's features, put together in the open: each is built with the neighbours it
needs as arguments and kept as a typed attribute of the window (``window.review``,
``window.export`` …, declared in :class:`Features`). :class:`editor.ui.main_window.MainWindow`
calls :func:`add_features` once its shell (menus, docks, report list, form stack, section
actions) is built, so that ``MainWindow(service)`` is the whole window.

The order is the order of the menus, the toolbar and the status bar; the layout feature comes
last because it restores the docks the others added (per screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .example_banner import ExampleBanner
    from .export_feature import ExportFeature
    from .help_feature import HelpFeature
    from .history_feature import HistoryFeature
    from .import_feature import ImportFeature
    from .layout_feature import LayoutFeature
    from .main_window import MainWindow
    from .outdated_feature import OutdatedFeature
    from .preview_feature import PreviewFeature
    from .review import ReviewFeature
    from .search_feature import SearchFeature
    from .storage_feature import StorageFeature
    from .undo_feature import UndoFeature


class Features:
    """The main window's features (a base of MainWindow; :func:`add_features` sets them)."""

    review: ReviewFeature  # 检查清单, 问题, underlines, 已审/待审, the export gate
    export: ExportFeature  # 导出 DOCX / PDF, 版式设置
    importer: ImportFeature  # 导入, 粘贴整份报告, 由上一年度报告新建
    history: HistoryFeature  # snapshots, 历史版本
    search: SearchFeature  # 搜索全部报告, 查找和替换
    preview: PreviewFeature  # 预览
    undo: UndoFeature  # 撤销 / 重做 for the whole report
    outdated: OutdatedFeature  # ◇待更新 marks
    help: HelpFeature  # 使用说明
    example_banner: ExampleBanner  # the line above the example report
    storage: StorageFeature  # read-only banner, 从备份恢复…, restore and salvage
    panels: LayoutFeature  # 视图: panels shown, layout remembered per screen


def add_features(window: MainWindow) -> None:
    from .example_banner import ExampleBanner
    from .export_feature import ExportFeature
    from .help_feature import HelpFeature
    from .history_feature import HistoryFeature
    from .import_feature import ImportFeature
    from .layout_feature import LayoutFeature
    from .outdated_feature import OutdatedFeature
    from .preview_feature import PreviewFeature
    from .review import ReviewFeature
    from .search_feature import SearchFeature
    from .storage_feature import StorageFeature
    from .undo_feature import UndoFeature

    window.review = review = ReviewFeature(window)
    window.export = export = ExportFeature(window, review=review)
    window.importer = importer = ImportFeature(window)
    window.history = history = HistoryFeature(window)
    window.search = SearchFeature(window, history=history)
    window.preview = PreviewFeature(window, export=export)
    window.undo = UndoFeature(window)
    window.outdated = OutdatedFeature(window)
    window.help = HelpFeature(window)
    window.example_banner = ExampleBanner(window, importer=importer)
    window.storage = StorageFeature(window)
    window.panels = LayoutFeature(window)  # last: restores the docks the others added


__all__ = ["Features", "add_features"]
