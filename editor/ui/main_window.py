"""The main window: report list and navigation on the left, the form of the chosen node in the
middle, the review panel (tabs other issues fill) on the right, save state and 字数 below.

Public hooks for other panels (see also the module docstring of editor.ui):

- ``review_tabs`` (QTabWidget in the right dock) and ``add_review_tab(widget, title)``;
- ``current_report`` (the open :class:`Report`, with every typed character in it) and
  ``report_changed`` (emitted ~0.4 s after the user stops editing) / ``report_opened``;
- ``page_loaded(key)`` after a form has loaded a node's text (forms name their boxes in
  ``text_boxes()``);
- ``show_place(place)`` opens the page of an :class:`editor.model.Place` and selects its span;
- ``add_report_action(menu_name, action, toolbar=False)`` puts a QAction in a menu;
- ``save_now()`` writes everything at once.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from editor.model import Place, PlaceNotFound, Report, Section, word_count
from editor.service import ReportService, ServiceError, StorageError

from . import autosave
from .autosave import AutoSaver
from .nav_tree import HEADER, PREAMBLE, NavTree, part_key, section_key
from .qtcompat import emit
from .report_dialogs import NewReportDialog, RecycleBinDialog, summary_text
from .widgets import titled

APP_TITLE = "法治政府建设年度报告编辑器"
REFRESH_MS = 400
LONG_TEXT = 20_000  # characters; longer texts are counted line by line
MENUS = ("文件", "编辑", "视图", "报告", "帮助")
#: Feature modules under editor.ui, each with ``install(window)``; they find each other through
#: ``window.features`` (name → object) and must cope with a missing neighbour.
FEATURES: tuple[str, ...] = ("export_feature", "review", "import_feature",
                             "history_feature", "search_feature", "preview_feature",
                             "undo_feature", "outdated_feature", "help_feature",
                             "example_banner",
                             # last: restores the docks the others added, per screen
                             "layout_feature")


def _u16(text: str, index: int) -> int:
    """Python index → Qt (UTF-16) position: characters outside the BMP count twice in Qt."""
    prefix = text[:index]
    return index + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


def line_span(text: str, line: int, start: int = 0, end: int = 0) -> tuple[int, int]:
    """Qt positions of ``start``..``end`` (Python indices) in line ``line`` of ``text``
    (``text.split("\n")``, blank lines counted, as editor.check.locate numbers them)."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return _u16(text, len(text)), _u16(text, len(text))
    offset = sum(len(x) + 1 for x in lines[:line])
    n = len(lines[line])
    s = offset + max(0, min(start, n))
    e = offset + max(0, min(max(start, end), n))
    return _u16(text, s), _u16(text, e)


def _select_in_line_edit(edit, start: int, end: int) -> None:
    text = edit.text()
    a = _u16(text, max(0, min(start, len(text))))
    b = _u16(text, max(0, min(max(start, end), len(text))))
    edit.setFocus()
    edit.setSelection(a, b - a)


class MainWindow(QMainWindow):
    #: Emitted a moment after the user stops editing (and after structure changes);
    #: ``current_report`` then holds every edit.
    report_changed = Signal()
    #: Another report (or None) is now open.
    report_opened = Signal(object)
    #: A page of the report has just been (re)loaded into its form (the node's key).
    page_loaded = Signal(str)

    def __init__(self, service: ReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.profile = service.profile
        self._report: Report | None = None
        self._node: str | None = None
        self._pages: dict[str, QWidget] = {}
        self._wc_cache: dict[str, tuple[str, int, dict[str, int] | None]] = {}
        self._remembered: dict | None = None
        self._error_box: QMessageBox | None = None
        self._listing = False

        self.setWindowTitle(APP_TITLE)
        # The size and place on the screen come from layout_feature (remembered per screen,
        # or fitted to it); this is only the size before that runs.
        self.resize(1024, 700)
        self.autosaver = AutoSaver(self._write, parent=self)
        self.autosaver.state_changed.connect(self._save_state_changed)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        self._build_actions()
        self._build_menus()
        self._build_body()
        self._build_review_dock()
        self._build_status()
        self._update_actions()
        self.features: dict[str, object] = {}
        self._install_features()

    def _install_features(self) -> None:
        import importlib

        for name in FEATURES:
            importlib.import_module(f"{__package__}.{name}").install(self)

    # ================================================================ public hooks
    @property
    def current_report(self) -> Report | None:
        """The open report with everything typed so far (pending text is committed first)."""
        self._commit()
        return self._report

    @property
    def current_node(self) -> str | None:
        """``header``, ``preamble``, ``part:<uid>`` or ``section:<uid>``."""
        return self._node

    def save_now(self) -> bool:
        """Write every edit to the database now. False if it failed (the text stays here)."""
        return self.autosaver.force_dirty_save()

    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` (文件/编辑/报告/帮助, or a new one before 帮助)."""
        menu = self._menus.get(name)
        if menu is None:
            menu = QMenu(name, self)
            self.menuBar().insertMenu(self._menus["帮助"].menuAction(), menu)
            self._menus[name] = menu
        return menu

    def add_report_action(self, menu_name: str, action: QAction, toolbar: bool = False) -> None:
        """Add ``action`` to a menu (and the toolbar); its shortcut works in the whole window."""
        action.setParent(action.parent() or self)
        self.menu(menu_name).addAction(action)
        self.addAction(action)
        if toolbar:
            self.toolbar.addAction(action)

    def add_banner(self, widget: QWidget) -> None:
        """Show ``widget`` (a notice line) above the forms; hide it to take it away."""
        self._banners.insertWidget(self._banners.count() - 1, widget)

    def add_review_tab(self, widget: QWidget, title: str) -> int:
        """Put a panel in the review dock; it replaces the placeholder of the same title."""
        for i in range(self.review_tabs.count()):
            if self.review_tabs.tabText(i) == title and self.review_tabs.widget(i).objectName() \
                    == "placeholder":
                old = self.review_tabs.widget(i)
                self.review_tabs.removeTab(i)
                old.deleteLater()
                return self.review_tabs.insertTab(i, widget, title)
        return self.review_tabs.addTab(widget, title)

    def show_place(self, place: Place) -> bool:
        """Open the page that holds ``place`` and select its span (editor.model.Place). False
        if the report no longer has that part, section or field."""
        report = self._report
        if report is None:
            return False
        try:
            part, section = place.container(report)
        except PlaceNotFound:
            return False
        if part is not None and not part.enabled:
            return False
        if place.header_name:
            self._select_node(HEADER)
            # the 发文字号 is three fields in the form; its findings open the first
            name = "doc_number" if place.header_name.startswith(("doc_", "source_doc")) \
                else place.header_name
            widget = self._page("header").focus_field(name)
            if widget is None:
                return False
            if hasattr(widget, "setSelection") and name != "doc_number":
                _select_in_line_edit(widget, place.start, place.end)
            return True
        self._select_node(place.node_key)
        if place.field in ("preamble", "closing"):
            form = self._page("preamble")
            one_line, box = form.closing, form.body
        elif section is not None:
            form = self._page("section")
            one_line, box = form.title, form.body
        else:
            form = self._page("part")
            one_line, box = form.heading, form.lead
        if place.field in ("closing", "title", "heading"):
            _select_in_line_edit(one_line, place.start, place.end)
        else:
            a, b = line_span(place.field_text(report), place.paragraph, place.start, place.end)
            box.setFocus()
            box.set_cursor_position(b, anchor=a)
        return True

    # ================================================================ building
    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new = a("新建报告…", self.new_report, QKeySequence.StandardKey.New,
                         "新建一份年度报告")
        self.act_copy = a("复制报告", self.duplicate_report, None, "复制当前报告为一份新草稿")
        self.act_rename = a("重命名…", self.rename_report, "F2", "修改当前报告的标题")
        self.act_delete = a("删除报告…", self.delete_report, None, "把当前报告移到回收站")
        self.act_bin = a("回收站…", self.show_recycle_bin, None, "查看、恢复已删除的报告")
        self.act_save = a("保存", self.save_now, QKeySequence.StandardKey.Save,
                          "立即保存（平时会自动保存）")
        self.act_quit = a("退出", self.close, "Ctrl+Q")
        self.act_add_section = a("添加一节", self.add_section, "Ctrl+Shift+N",
                                 "在当前节之后添加一节")
        self.act_del_section = a("删除本节", self.delete_section, None, "删除当前选中的一节")
        self.act_up = a("上移", lambda: self.move_section(-1), "Alt+Up", "把当前节上移（Alt+↑）")
        self.act_down = a("下移", lambda: self.move_section(1), "Alt+Down",
                          "把当前节下移（Alt+↓）")
        self.act_header = a("版头与版记", lambda: self._select_node(HEADER), None,
                            "填写发文机关标志、发文字号、成文日期等")
        self.act_preamble = a("前言与结束语", lambda: self._select_node(PREAMBLE))
        self.act_about = a("关于", self._about)
        self.section_actions = [self.act_add_section, self.act_up, self.act_down,
                                self.act_del_section]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus: dict[str, QMenu] = {}
        for name in MENUS:
            self._menus[name] = bar.addMenu(name)
        f = self._menus["文件"]
        for act in (self.act_new, self.act_copy, self.act_rename, self.act_delete):
            f.addAction(act)
        f.addSeparator()
        f.addAction(self.act_bin)
        f.addSeparator()
        f.addAction(self.act_save)
        f.addSeparator()
        f.addAction(self.act_quit)
        e = self._menus["编辑"]
        for act in self.section_actions:
            e.addAction(act)
        r = self._menus["报告"]
        r.addAction(self.act_header)
        r.addAction(self.act_preamble)
        r.addSeparator()
        self._menus["帮助"].addAction(self.act_about)
        for act in (self.act_new, self.act_copy, self.act_rename, self.act_delete, self.act_bin,
                    self.act_save, self.act_quit, *self.section_actions):
            self.addAction(act)

        self.toolbar = QToolBar("工具栏", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.act_new, self.act_copy, self.act_delete, self.act_bin):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_save)
        self.toolbar.addSeparator()
        self.addToolBar(self.toolbar)

    def _build_body(self) -> None:
        left = QWidget(self)
        col = QVBoxLayout(left)
        col.setContentsMargins(6, 6, 0, 6)
        self.report_list = QListWidget(left)
        self.report_list.setAlternatingRowColors(True)
        # Entries are two short lines (summary_text), wrapped where the column is narrow,
        # never scrolled sideways: several fit on a laptop's screen.
        self.report_list.setWordWrap(True)
        self.report_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_list.currentItemChanged.connect(self._report_chosen)
        self.tree = NavTree(left)
        self.tree.addActions(self.section_actions)
        self.tree.node_selected.connect(self._node_chosen)
        # Right-click on a section: the same add / move / delete actions as the menu.
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        left_split = QSplitter(Qt.Orientation.Vertical, left)
        left_split.setObjectName("left_split")
        left_split.addWidget(titled("报告列表（新的在前）", self.report_list, parent=left_split))
        left_split.addWidget(titled("目录", self.tree, parent=left_split))
        left_split.setStretchFactor(0, 1)
        left_split.setStretchFactor(1, 3)
        left_split.setSizes([200, 600])
        col.addWidget(left_split)
        # The left column and its splitter: 视图 hides the column, sizes are remembered.
        self.left_panel, self.left_split = left, left_split

        self.stack = QStackedWidget(self)
        empty = QWidget(self.stack)
        el = QVBoxLayout(empty)
        el.addStretch(1)
        msg = QLabel("还没有打开的报告。\n点击“新建报告”开始一份新报告，或在回收站中恢复已删除的报告。",
                     empty)
        msg.setAlignment(Qt.AlignmentFlag.AlignCenter)
        el.addWidget(msg)
        button = QPushButton("新建报告…", empty)
        button.clicked.connect(self.new_report)
        el.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
        el.addStretch(2)
        self.stack.addWidget(empty)
        self._pages["empty"] = empty

        # The forms, with room above them for notices (add_banner).
        center = QWidget(self)
        self._banners = QVBoxLayout(center)
        self._banners.setContentsMargins(0, 0, 0, 0)
        self._banners.setSpacing(0)
        self._banners.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main_split")
        self.splitter.addWidget(left)
        self.splitter.addWidget(center)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 800])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

    def _build_review_dock(self) -> None:
        self.review_dock = QDockWidget("审核", self)
        self.review_dock.setObjectName("review_dock")
        # Closable: a small screen needs the room; 视图 (and F7) bring it back.
        self.review_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                     | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.review_tabs = QTabWidget(self.review_dock)
        for title, text in (
            ("检查清单", "检查清单将在这里显示：\n按部分列出应写到的内容，\n已写到的打 ✔，缺少的打 ✘。"),
            ("问题", "检查发现的问题将在这里列出，\n点击可跳到原文。"),
        ):
            label = QLabel(text, self.review_tabs)
            label.setObjectName("placeholder")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: #777;")
            label.setWordWrap(True)
            self.review_tabs.addTab(label, title)
        self.review_dock.setWidget(self.review_tabs)
        self.review_dock.setMinimumWidth(260)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.resizeDocks([self.review_dock], [320], Qt.Orientation.Horizontal)

    def _build_status(self) -> None:
        self.save_label = QLabel(self)
        self.count_label = QLabel(self)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(False)
        status = self.statusBar()
        status.addWidget(self.save_label)
        status.addWidget(self.count_label)
        status.addWidget(self.error_label, 1)
        self._save_state_changed(self.autosaver.state, "")

    def _page(self, name: str) -> QWidget:
        """The form called ``name``, built the first time it is needed (keeps startup fast)."""
        page = self._pages.get(name)
        if page is not None:
            return page
        if name == "header":
            from .header_form import HeaderForm

            page = HeaderForm(self.profile, self.stack)
            page.edited.connect(self._edited)
            page.identity_changed.connect(self._edited)
        elif name == "preamble":
            from .section_form import PreambleForm

            page = PreambleForm(self.stack)
            page.edited.connect(self._edited)
        elif name == "part":
            from .part_form import PartForm

            page = PartForm(self.profile, self.section_actions, self.stack)
            page.edited.connect(self._edited)
            page.heading_edited.connect(self._schedule_refresh)
            page.enabled_toggled.connect(self._part_toggled)
            page.open_section.connect(lambda uid: self._select_node(section_key(uid)))
            page.sections.order_changed.connect(self._sections_dragged)
            page.sections.currentRowChanged.connect(lambda _row: self._update_actions())
        elif name == "section":
            from .section_form import SectionForm

            page = SectionForm(self.section_actions, self.stack)
            page.edited.connect(self._edited)
        else:  # pragma: no cover
            raise KeyError(name)
        self.stack.addWidget(page)
        self._pages[name] = page
        return page

    # ================================================================ reports
    def refresh_report_list(self) -> None:
        """Rebuild the list of reports (after new / copy / delete / restore)."""
        self._listing = True
        try:
            self.report_list.clear()
            for r in self.service.list_reports():
                item = QListWidgetItem(summary_text(r.year, r.organ, r.title, r.updated_at))
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(r.title)
                self.report_list.addItem(item)
                if self._report is not None and r.id == self._report.id:
                    self.report_list.setCurrentItem(item)
        finally:
            self._listing = False

    def _update_list_item(self) -> None:
        report = self._report
        if report is None:
            return
        for i in range(self.report_list.count()):
            item = self.report_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == report.id:
                item.setText(summary_text(report.year, report.organ, report.header.title,
                                          report.updated_at))
                item.setToolTip(report.header.title)
                return

    def open_report(self, report_id: int | None, node: str | None = None,
                    cursor: int | None = None) -> bool:
        """Open another report (the current one is saved first). False if that is impossible."""
        if self._report is not None and report_id == self._report.id:
            if node:
                self._select_node(node)
            return True
        if self._report is not None and not self.autosaver.save_now():
            self._warn_save_failed(switching=True)
            self._select_list_item(self._report.id)
            return False
        self._report = None
        self._node = None
        self._wc_cache.clear()
        if report_id is not None:
            try:
                self._report = self.service.open_for_editing(report_id)
            except (ServiceError, StorageError) as exc:
                QMessageBox.warning(self, "无法打开报告", str(exc))
                self._report = None
        report = self._report
        self.tree.rebuild(report)
        if report is None:
            self.stack.setCurrentWidget(self._pages["empty"])
        else:
            if not (node and self.tree.has_key(node)):
                node = self._default_node(report)
            self._select_node(node)
            if cursor is not None:
                self._restore_cursor(cursor)
            self.setWindowTitle(f"{report.header.title or report.organ} — {APP_TITLE}")
        self._select_list_item(report.id if report else None)
        self._update_actions()
        self._refresh_counts()
        self._remember()
        emit(self.report_opened, report)
        return True

    def open_last(self) -> None:
        """Open the report and place the user left at the last run, else the newest one."""
        self.refresh_report_list()
        pos = self.service.last_position()
        ids = [self.report_list.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(self.report_list.count())]
        rid = pos.get("report_id")
        if rid in ids:
            self.open_report(rid, pos.get("node"), pos.get("cursor"))
            if pos.get("field") == "title" and isinstance(self._current_form(), QWidget):
                form = self._current_form()
                if hasattr(form, "title"):
                    form.title.setFocus()
        else:
            self.open_report(ids[0] if ids else None)

    def _select_list_item(self, report_id: int | None) -> None:
        self._listing = True
        try:
            for i in range(self.report_list.count()):
                item = self.report_list.item(i)
                if item.data(Qt.ItemDataRole.UserRole) == report_id:
                    self.report_list.setCurrentItem(item)
                    return
            self.report_list.setCurrentItem(None)
        finally:
            self._listing = False

    def _report_chosen(self, current: QListWidgetItem | None, _previous) -> None:
        if self._listing or current is None:
            return
        self.open_report(current.data(Qt.ItemDataRole.UserRole))

    def new_report(self) -> None:
        dialog = NewReportDialog(self.service, self)
        if dialog.exec() and dialog.report is not None:
            self.refresh_report_list()
            self.open_report(dialog.report.id, self._default_node(dialog.report))

    def duplicate_report(self) -> None:
        if self._report is None or not self.save_now():
            return
        try:
            new_id = self.service.duplicate(self._report.id)
        except (ServiceError, StorageError) as exc:
            QMessageBox.warning(self, "无法复制", str(exc))
            return
        self.refresh_report_list()
        self.open_report(new_id)
        self.statusBar().showMessage("已复制为一份新草稿，现在打开的是副本。", 5000)

    def rename_report(self) -> None:
        report = self._report
        if report is None:
            return
        title, ok = QInputDialog.getText(self, "重命名", "报告标题：", text=report.header.title)
        if not ok:
            return
        title = title.strip()
        if not title:
            QMessageBox.information(self, "重命名", "标题不能为空，标题没有修改。")
            return
        # The open report is the one in memory: change it there so autosave cannot undo it.
        report.header.title = title
        header = self._pages.get("header")
        if header is not None and self._node == HEADER:
            header.load(report)
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self._edited()
        self.save_now()
        self._update_list_item()

    def delete_report(self) -> None:
        report = self._report
        if report is None:
            return
        answer = QMessageBox.question(
            self, "删除报告",
            f"把“{report.header.title or report.organ}”移到回收站吗？\n之后可以在“回收站”中恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self.save_now():
            # The bin keeps what is in the database: do not leave the latest typing behind.
            self._warn_save_failed()
            return
        self.service.delete(report.id)
        self._report = None
        self.refresh_report_list()
        first = self.report_list.item(0)
        self.open_report(first.data(Qt.ItemDataRole.UserRole) if first else None)
        self.statusBar().showMessage("报告已移到回收站。", 5000)

    def show_recycle_bin(self) -> None:
        dialog = RecycleBinDialog(self.service, self, on_restored=self._restored)
        dialog.exec()
        self.refresh_report_list()
        if self._report is None and self.report_list.count():
            self.open_report(self.report_list.item(0).data(Qt.ItemDataRole.UserRole))

    def _restored(self, report_id: int) -> None:
        """A report came back from the 回收站: list it, open it, say so."""
        self.refresh_report_list()
        if self.open_report(report_id):
            report = self._report
            name = (report.header.title or report.organ) if report else ""
            self.statusBar().showMessage(f"已从回收站恢复“{name}”，现在打开的就是它。", 8000)

    # ================================================================ navigation
    def _default_node(self, report: Report) -> str:
        for part in report.enabled_parts:
            if part.sections:
                return section_key(part.sections[0].uid)
        return HEADER

    def _select_node(self, key: str) -> None:
        if self.tree.current_key() == key and self._node == key:
            return
        if not self.tree.select_key(key):
            return
        if self._node != key:  # select_key emits node_selected only when the item changed
            self._node_chosen(key)

    def _node_chosen(self, key: str) -> None:
        report = self._report
        if report is None:
            return
        self._commit()
        kind, _, uid = key.partition(":")
        if kind == HEADER:
            page = self._page("header")
            page.load(report)
        elif kind == PREAMBLE:
            page = self._page("preamble")
            page.load(report)
        elif kind == "part":
            index = next(i for i, p in enumerate(report.parts) if p.uid == uid)
            page = self._page("part")
            page.load(report, index)
        else:
            found = report.find_section(uid)
            if found is None:
                return
            part, si = found
            page = self._page("section")
            page.load(report, report.parts.index(part), si)
        self._node = key
        self.stack.setCurrentWidget(page)
        self._update_actions()
        self._refresh_counts()
        self._remember()
        emit(self.page_loaded, key)

    def _current_form(self) -> QWidget | None:
        page = self.stack.currentWidget()
        return page if page is not self._pages.get("empty") else None

    def _main_text(self):
        """The big text box of the current page (for the cursor position)."""
        page = self._current_form()
        if page is None:
            return None
        if page is self._pages.get("section") or page is self._pages.get("preamble"):
            return page.body
        if page is self._pages.get("part"):
            return page.lead
        return None

    def _restore_cursor(self, cursor: int) -> None:
        text = self._main_text()
        if text is not None:
            text.set_cursor_position(cursor)
            text.setFocus()

    # ================================================================ sections
    def _target(self) -> tuple[int, int | None] | None:
        """(part index, section index or None) the section actions work on."""
        report, key = self._report, self._node or ""
        if report is None:
            return None
        kind, _, uid = key.partition(":")
        if kind == "section":
            found = report.find_section(uid)
            if found is None:
                return None
            part, si = found
            return report.parts.index(part), si
        if kind == "part":
            pi = next(i for i, p in enumerate(report.parts) if p.uid == uid)
            form = self._pages.get("part")
            selected = form.selected_uid() if form is not None else None
            sections = report.parts[pi].sections
            si = next((i for i, s in enumerate(sections) if s.uid == selected), None)
            return pi, si
        return None

    def add_section(self) -> Section | None:
        target = self._target()
        if target is None:
            return None
        self._commit()
        pi, si = target
        part = self._report.parts[pi]
        index = len(part.sections) if si is None else si + 1
        section = Section()
        part.sections.insert(index, section)
        self._structure_changed(section_key(section.uid))
        form = self._page("section")
        form.title.setFocus()
        return section

    def delete_section(self) -> bool:
        target = self._target()
        if target is None or target[1] is None:
            return False
        self._commit()
        pi, si = target
        part = self._report.parts[pi]
        section = part.sections[si]
        if section.title.strip() or section.body.strip():
            answer = QMessageBox.question(
                self, "删除本节",
                f"删除“{section.title or '（未写标题）'}”这一节吗？其中的文字会一起删除。\n"
                "（删除前的内容保留在历史版本中。）",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        del part.sections[si]
        if self._node == section_key(section.uid):
            if part.sections:
                nxt = part.sections[min(si, len(part.sections) - 1)]
                select = section_key(nxt.uid)
            else:
                select = part_key(part.uid)
        else:
            select = self._node
        self._node = None if select != self._node else self._node
        self._structure_changed(select)
        return True

    def move_section(self, delta: int) -> bool:
        target = self._target()
        if target is None or target[1] is None:
            return False
        self._commit()
        pi, si = target
        sections = self._report.parts[pi].sections
        new = si + delta
        if not 0 <= new < len(sections):
            return False
        sections[si], sections[new] = sections[new], sections[si]
        self._structure_changed(self._node, moved=sections[new].uid)
        return True

    def _sections_dragged(self, uids: list[str]) -> None:
        form = self._pages.get("part")
        if form is None or form.part is None:
            return
        by_uid = {s.uid: s for s in form.part.sections}
        if sorted(uids) != sorted(by_uid):
            return
        form.part.sections[:] = [by_uid[u] for u in uids]
        self._structure_changed(self._node)

    def _part_toggled(self, _on: bool) -> None:
        self._structure_changed(self._node)

    def _structure_changed(self, select: str | None, moved: str | None = None) -> None:
        """Sections added, removed or reordered: renumber everything, keep the text boxes."""
        report = self._report
        self.tree.rebuild(report, select=select)
        if select and select != self._node:
            self._node_chosen(select)
        else:
            page = self._current_form()
            if page is self._pages.get("section") and page.section is not None:
                found = report.find_section(page.section.uid)
                if found:
                    page.renumber(report, report.parts.index(found[0]), found[1])
            elif page is self._pages.get("part"):
                page.renumber(report, self._section_counts(page.part))
                if moved:
                    page.select_uid(moved)
        self._edited()
        self._update_actions()

    def show_changes(self, select: str | None = None) -> None:
        """The open report was changed outside the forms (an engine fix that adds a section,
        undo): rebuild the tree and show the page ``select`` (else the current one) afresh."""
        report = self._report
        if report is None:
            return
        key = select or self._node or self._default_node(report)
        if key.startswith("section:") and report.find_section(key[8:]) is None:
            key = self._default_node(report)
        self.tree.rebuild(report, select=key)
        self._node_chosen(key)
        self._edited()
        self._update_actions()

    def _update_actions(self) -> None:
        has = self._report is not None
        for act in (self.act_copy, self.act_rename, self.act_delete, self.act_header,
                    self.act_preamble):
            act.setEnabled(has)
        target = self._target() if has else None
        in_part = target is not None
        on_section = in_part and target[1] is not None
        n = len(self._report.parts[target[0]].sections) if in_part else 0
        self.act_add_section.setEnabled(in_part)
        self.act_del_section.setEnabled(on_section)
        self.act_up.setEnabled(on_section and target[1] > 0)
        self.act_down.setEnabled(on_section and target[1] < n - 1)

    # ================================================================ edits, counts, saving
    def _edited(self) -> None:
        self.autosaver.mark_dirty()
        self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def _commit(self) -> None:
        """Copy text still only in a widget into the model."""
        for name in ("section", "preamble", "part"):
            page = self._pages.get(name)
            if page is not None:
                page.commit()

    def refresh(self) -> None:
        """The debounced update after edits: 字数, tree titles, the list; then report_changed."""
        self._refresh_timer.stop()
        self._commit()
        if self._report is not None:
            self.tree.update_titles(self._report)
            self._update_list_item()
        self._refresh_counts()
        emit(self.report_changed)

    def _count(self, key: str, text: str) -> int:
        """字数 of ``text``, remembered under ``key``. Long texts are counted line by line and
        only changed lines are recounted: no token spans a line break, so the sum is exact,
        and a pause after typing in a 1 MB section costs milliseconds instead of 0.2 s."""
        hit = self._wc_cache.get(key)
        if hit is not None and (hit[0] is text or hit[0] == text):
            return hit[1]
        lines: dict[str, int] | None = None
        if len(text) < LONG_TEXT:
            n = word_count(text)
        else:
            old = (hit[2] if hit is not None else None) or {}
            lines = {}
            n = 0
            for line in text.split("\n"):
                c = lines.get(line)
                if c is None:
                    c = old.get(line)
                    if c is None:
                        c = word_count(line)
                    lines[line] = c
                n += c
        self._wc_cache[key] = (text, n, lines)
        return n

    def _section_words(self, s: Section) -> int:
        return self._count("t" + s.uid, s.title) + self._count("b" + s.uid, s.body)

    def _section_counts(self, part) -> dict[str, int]:
        return {s.uid: self._section_words(s) for s in part.sections} if part else {}

    def _part_words(self, part) -> int:
        return (self._count("h" + part.uid, part.heading) + self._count("l" + part.uid, part.lead)
                + sum(self._section_words(s) for s in part.sections))

    def total_words(self) -> int:
        """The report's 字数, as Report.word_count counts it (cached per text)."""
        r = self._report
        if r is None:
            return 0
        h = r.header
        return (self._count("H", h.title) + self._count("R", h.recipients)
                + self._count("P", r.preamble) + self._count("C", r.closing)
                + sum(self._part_words(p) for p in r.enabled_parts))

    def _refresh_counts(self) -> None:
        self._commit()
        total = self.total_words()
        text = f"全文 {total:,} 字"
        page = self._current_form()
        if page is not None and page is self._pages.get("section") and page.section:
            n = self._section_words(page.section)
            page.set_count(n)
            text += f" · 本节 {n:,} 字"
        elif page is not None and page is self._pages.get("part") and page.part:
            n = self._part_words(page.part)
            page.set_count(n)
            page.renumber(self._report, self._section_counts(page.part))
            text += f" · 本部分 {n:,} 字"
        elif page is not None and page is self._pages.get("preamble") and self._report:
            page.set_count(self._count("P", self._report.preamble))
        self.count_label.setText(f"· {text}" if self._report is not None else "")

    def _write(self) -> None:
        """The autosaver's save: model → database (only changed rows), and where we are."""
        self._commit()
        if self._report is not None:
            self.service.save(self._report)
            self._update_list_item()
        self._remember()

    def _position(self) -> dict:
        pos: dict = {"report_id": self._report.id if self._report else None, "node": self._node}
        text = self._main_text()
        if text is not None:
            pos["cursor"] = text.cursor_position()
        page = self._current_form()
        if page is self._pages.get("section") and page is not None and page.title.hasFocus():
            pos["field"] = "title"
        return pos

    def _remember(self) -> None:
        pos = self._position()
        if pos == self._remembered:
            return
        try:
            self.service.remember_position(**pos)
        except (StorageError, sqlite3.Error):
            return  # the place is a convenience; the text is what must be saved
        self._remembered = pos

    def _save_state_changed(self, state: str, message: str) -> None:
        self.save_label.setText(autosave.LABELS[state])
        color = {autosave.SAVED: "#1b7f3b", autosave.ERROR: "#b00020"}.get(state, "#8a5a00")
        self.save_label.setStyleSheet(f"color: {color}; font-weight: bold;")
        if state == autosave.ERROR:
            self.error_label.setText(message)
            self.error_label.setToolTip(message)
            self._warn_save_failed()
        elif state == autosave.SAVED:
            self.error_label.clear()
            if self._error_box is not None:
                self._error_box.close()
                self._error_box = None

    def _warn_save_failed(self, switching: bool = False) -> None:
        """A non-modal warning: the user may keep typing; the text stays in the window."""
        text = self.autosaver.message
        if switching:
            text += "\n\n为避免丢失文字，暂时不能切换到其他报告。"
        if self._error_box is None:
            box = QMessageBox(QMessageBox.Icon.Warning, "无法保存", text,
                              QMessageBox.StandardButton.Ok, self)
            box.setWindowModality(Qt.WindowModality.NonModal)
            box.finished.connect(lambda _r: setattr(self, "_error_box", None))
            self._error_box = box
        self._error_box.setText(text)
        self._error_box.show()

    # ================================================================ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks: it saves. If saving is impossible the text goes to a file."""
        self._refresh_timer.stop()
        if self._report is not None and not self.autosaver.save_now():
            rescued = self._rescue()
            if rescued is None:
                QMessageBox.warning(
                    self, "无法保存",
                    f"{self.autosaver.message}\n\n也无法另存到其他位置，所以窗口没有关闭，"
                    "以免丢失文字。请先解决上面的问题（或复制文字到别处）后再关闭。",
                )
                event.ignore()
                return
            QMessageBox.information(
                self, "已另存",
                f"{self.autosaver.message}\n\n为避免丢失，当前报告已另存为：\n{rescued}\n"
                "问题解决后可以用“导入”把它找回。",
            )
        self._remember()
        event.accept()

    def _rescue(self) -> Path | None:
        report = self._report
        if report is None:
            return None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"未保存的报告-{report.id}-{stamp}.json"
        data = json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
        for folder in (self.service.db_path.parent, Path.home(), Path(tempfile.gettempdir())):
            try:
                path = folder / name
                path.write_text(data, encoding="utf-8")
                return path
            except OSError:
                continue
        return None

    def _about(self) -> None:
        QMessageBox.about(
            self, "关于",
            f"{APP_TITLE}\n\n分部分填写法治政府建设年度报告，草稿自动保存在：\n"
            f"{self.service.db_path}",
        )
