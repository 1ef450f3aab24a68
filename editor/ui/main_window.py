"""The main window's shell: menus, toolbar, the left column (report list and tree), the forms in
the middle with notices above them, the 审核 dock, the status bar; opening, saving, closing.
Its parts: ``reports`` (:mod:`.report_list`), ``stack`` (:mod:`.form_stack`), ``sections``
(:mod:`.section_actions`), ``save_state`` (:mod:`.save_state`); :mod:`.assemble` adds the features.

Public hooks for the features (see also the module docstring of editor.ui):

- ``review_tabs`` (QTabWidget in the right dock) and ``add_review_tab(widget, title)``;
- ``current_report`` (the open :class:`Report`, with every typed character in it),
  ``has_report``, ``current_node``, and ``report_changed`` (emitted ~0.4 s after the user stops
  editing) / ``report_opened``;
- ``page_loaded(key)`` after a form has loaded a node's text (forms name their boxes in
  ``text_boxes()``); ``page(name)`` is a form (``header``, ``preamble``, ``part``, ``section``);
- ``show_place(place)`` opens the page of an :class:`editor.model.Place` and selects its span;
- ``show_changes(select)`` after the open report was changed outside the forms;
- ``add_report_action(menu_name, action, toolbar=False)`` puts a QAction in a menu;
  ``add_banner(widget)`` a notice line above the forms;
- ``mark_edited()`` after changing the open report; ``save_now()`` writes everything at once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from editor.model import Place, Report
from editor.service import ReportService, ServiceError, StorageError

from .assemble import Features, add_features
from .autosave import AutoSaver
from .form_stack import FormStack, default_node
from .nav_tree import HEADER, PREAMBLE, NavTree
from .qtcompat import emit
from .report_list import ReportList
from .save_state import SaveState
from .section_actions import SectionActions
from .widgets import make_action, titled

APP_TITLE = "法治政府建设年度报告编辑器"
REFRESH_MS = 400
MENUS = ("文件", "编辑", "视图", "报告", "帮助")


class MainWindow(QMainWindow, Features):
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
        self._remembered: dict | None = None

        self.setWindowTitle(APP_TITLE)
        # The size and place on the screen come from layout_feature (remembered per screen,
        # or fitted to it); this is only the size before that runs.
        self.resize(1024, 700)
        self.autosaver = AutoSaver(self._write, parent=self)
        self.save_state = SaveState(self, self.autosaver)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        # The parts: the tree and the forms it chooses, the report list, the section actions.
        self.tree = NavTree(self)
        self.stack = FormStack(self.profile, self.tree, self)
        self.stack.edited.connect(self.mark_edited)
        self.stack.titles_edited.connect(self._refresh_timer.start)
        self.stack.node_shown.connect(self._page_shown)
        self.reports = ReportList(self, self.stack)
        self.stack.new_requested.connect(self.reports.new_report)
        self.sections = SectionActions(self, self.stack, self.tree)

        self._build_actions()
        self._build_menus()
        self._build_body()
        self._build_review_dock()
        self._build_status()
        self._update_actions()
        add_features(self)  # each feature with its neighbours, as typed attributes

    # ================================================================ public hooks
    @property
    def current_report(self) -> Report | None:
        """The open report with everything typed so far (pending text is committed first)."""
        self.stack.commit()
        return self.stack.report

    @property
    def has_report(self) -> bool:
        """A report is open (cheaper than ``current_report``: nothing is committed)."""
        return self.stack.report is not None

    @property
    def current_node(self) -> str | None:
        """``header``, ``preamble``, ``part:<uid>`` or ``section:<uid>``."""
        return self.stack.node

    def page(self, name: str) -> QWidget:
        """The form ``header``, ``preamble``, ``part`` or ``section`` (built if need be), or
        ``empty``, the page shown without a report."""
        return self.stack.page(name)

    def save_now(self) -> bool:
        """Write every edit to the database now. False if it failed (the text stays here)."""
        return self.autosaver.force_dirty_save()

    def mark_edited(self) -> None:
        """The open report was changed: save it soon, and recount and recheck after a pause."""
        self.autosaver.mark_dirty()
        self._refresh_timer.start()

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
        return self.stack.show_place(place)

    def show_changes(self, select: str | None = None) -> None:
        """The open report was changed outside the forms (an engine fix that adds a section,
        undo): rebuild the tree and show the page ``select`` (else the current one) afresh."""
        if self.stack.reshow(select):
            self.mark_edited()
            self._update_actions()

    def show_title(self) -> None:
        """The window's title: the open report's."""
        report = self.stack.report
        if report is not None:
            self.setWindowTitle(f"{report.header.title or report.organ} — {APP_TITLE}")

    # ================================================================ opening reports
    def open_report(self, report_id: int | None, node: str | None = None,
                    cursor: int | None = None) -> bool:
        """Open another report (the current one is saved first). False if that is impossible."""
        stack = self.stack
        current = stack.report
        if current is not None and report_id == current.id:
            if node:
                stack.select_node(node)
            return True
        if current is not None and not self.autosaver.save_now():
            self.save_state.warn_failed(switching=True)
            self.reports.select(current.id)
            return False
        stack.set_report(None)
        report = None
        if report_id is not None:
            try:
                report = self.service.open_for_editing(report_id)
            except (ServiceError, StorageError) as exc:
                QMessageBox.warning(self, "无法打开报告", str(exc))
        stack.show_report(report)
        if report is not None:
            if not (node and self.tree.has_key(node)):
                node = default_node(report)
            stack.select_node(node)
            if cursor is not None:
                stack.restore_cursor(cursor)
            self.show_title()
        self.reports.select(report.id if report else None)
        self._update_actions()
        self._refresh_counts()
        self._remember()
        emit(self.report_opened, report)
        return True

    def open_last(self) -> None:
        """Open the report and place the user left at the last run, else the newest one."""
        self.reports.open_last()

    def _page_shown(self, key: str) -> None:
        self.sections.update()
        self._refresh_counts()
        self._remember()
        emit(self.page_loaded, key)

    # ================================================================ building
    def _build_actions(self) -> None:
        a = make_action
        self.act_save = a(self, "保存", self.save_now, QKeySequence.StandardKey.Save,
                          "立即保存（平时会自动保存）")
        self.act_quit = a(self, "退出", self.close, "Ctrl+Q")
        self.act_header = a(self, "版头与版记", lambda: self.stack.select_node(HEADER), None,
                            "填写发文机关标志、发文字号、成文日期等")
        self.act_preamble = a(self, "前言与结束语", lambda: self.stack.select_node(PREAMBLE))
        self.act_about = a(self, "关于", self._about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus: dict[str, QMenu] = {}
        for name in MENUS:
            self._menus[name] = bar.addMenu(name)
        r = self.reports
        f = self._menus["文件"]
        for act in (r.act_new, r.act_copy, r.act_rename, r.act_delete):
            f.addAction(act)
        f.addSeparator()
        f.addAction(r.act_bin)
        f.addSeparator()
        f.addAction(self.act_save)
        f.addSeparator()
        f.addAction(self.act_quit)
        e = self._menus["编辑"]
        for act in self.sections.actions:
            e.addAction(act)
        m = self._menus["报告"]
        m.addAction(self.act_header)
        m.addAction(self.act_preamble)
        m.addSeparator()
        self._menus["帮助"].addAction(self.act_about)
        for act in (r.act_new, r.act_copy, r.act_rename, r.act_delete, r.act_bin,
                    self.act_save, self.act_quit, *self.sections.actions):
            self.addAction(act)

        self.toolbar = QToolBar("工具栏", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (r.act_new, r.act_copy, r.act_delete, r.act_bin):
            self.toolbar.addAction(act)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_save)
        self.toolbar.addSeparator()
        self.addToolBar(self.toolbar)

    def _build_body(self) -> None:
        left = QWidget(self)
        col = QVBoxLayout(left)
        col.setContentsMargins(6, 6, 0, 6)
        # Right-click on a section: the same add / move / delete actions as the menu.
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        left_split = QSplitter(Qt.Orientation.Vertical, left)
        left_split.setObjectName("left_split")
        left_split.addWidget(titled("报告列表（新的在前）", self.reports.list, parent=left_split))
        left_split.addWidget(titled("目录", self.tree, parent=left_split))
        left_split.setStretchFactor(0, 1)
        left_split.setStretchFactor(1, 3)
        left_split.setSizes([200, 600])
        col.addWidget(left_split)
        # The left column and its splitter: 视图 hides the column, sizes are remembered.
        self.left_panel, self.left_split = left, left_split

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
        self.count_label = QLabel(self)
        status = self.statusBar()
        status.addWidget(self.save_state.label)
        status.addWidget(self.count_label)
        status.addWidget(self.save_state.error_label, 1)
        self.save_state.show_state(self.autosaver.state, "")

    def _update_actions(self) -> None:
        has = self.stack.report is not None
        self.reports.update_actions(has)
        self.act_header.setEnabled(has)
        self.act_preamble.setEnabled(has)
        self.sections.update()

    # ================================================================ edits, counts, saving
    def refresh(self) -> None:
        """The debounced update after edits: 字数, tree titles, the list; then report_changed."""
        self._refresh_timer.stop()
        self.stack.commit()
        report = self.stack.report
        if report is not None:
            self.tree.update_titles(report)
            self.reports.update_item(report)
        self._refresh_counts()
        emit(self.report_changed)

    def total_words(self) -> int:
        """The report's 字数, as Report.word_count counts it (cached per text)."""
        return self.stack.counts.total(self.stack.report)

    def _refresh_counts(self) -> None:
        text = self.stack.refresh_counts()
        self.count_label.setText(f"· {text}" if self.stack.report is not None else "")

    def _write(self) -> None:
        """The autosaver's save: model → database (only changed rows), and where we are."""
        self.stack.commit()
        report = self.stack.report
        if report is not None:
            self.service.save(report)
            self.reports.update_item(report)
        self._remember()

    def _remember(self) -> None:
        report = self.stack.report
        pos = {"report_id": report.id if report else None, **self.stack.position()}
        if pos == self._remembered:
            return
        try:
            self.service.remember_position(**pos)
        except (StorageError, sqlite3.Error):
            return  # the place is a convenience; the text is what must be saved
        self._remembered = pos

    # ================================================================ closing
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing never asks: it saves. If saving is impossible the text goes to a file."""
        self._refresh_timer.stop()
        report = self.stack.report
        if report is not None and not self.autosaver.save_now() \
                and not self.save_state.rescue(report):
            event.ignore()
            return
        self._remember()
        event.accept()

    def _about(self) -> None:
        from .about_dialog import AboutDialog

        AboutDialog(Path(self.service.db_path), self).exec()
