"""编辑 → 搜索全部报告… (Ctrl+Shift+F): a dock that searches every draft (db.search) and opens
the place of a result; 编辑 → 查找和替换… (Ctrl+H) / 查找… (Ctrl+F) within the open report
(see find_replace_dialog)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor.model import part_number, section_number

if TYPE_CHECKING:
    from editor.service import SearchHit

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
LIMIT = 200
MARK = "background-color: #ffe066; font-weight: bold;"
FIELD_LABELS = {"title": "标题", "body": "正文", "heading": "部分标题", "lead": "导语",
                "preamble": "前言"}


def hit_place(hit: SearchHit) -> str:
    if hit.kind == "section":
        return (f"{part_number(hit.part_index or 0)}{section_number(hit.section_index or 0)}"
                f"{FIELD_LABELS.get(hit.field, hit.field)}")
    if hit.kind == "part":
        return f"{part_number(hit.part_index or 0)}{FIELD_LABELS.get(hit.field, hit.field)}"
    return "报告标题" if hit.field == "title" else "前言"


def _fields(report, hit: SearchHit) -> list[tuple[str, str]]:
    """(field, text) of the place a hit is in, as the report now has them."""
    if hit.kind == "section":
        found = report.find_section(hit.section_uid or "")
        if found is None:
            return []
        section = found[0].sections[found[1]]
        return [("title", section.title), ("body", section.body)]
    if hit.kind == "part":
        part = next((p for p in report.parts if p.uid == hit.part_uid), None)
        return [("heading", part.heading), ("lead", part.lead)] if part else []
    return [("title", report.header.title), ("preamble", report.preamble)]


def each_occurrence(hits: list[SearchHit], query: str, load, limit: int = LIMIT
                    ) -> list[SearchHit]:
    """One hit per place the (first) word occurs, not one per section: the index answers per
    section (its first occurrence); the user counts, and wants to open, every place.
    ``load(report_id)`` gives a report's current text."""
    from dataclasses import replace

    from editor.service import SNIPPET_CONTEXT, terms_of

    terms = terms_of(query)
    if not terms:
        return hits
    first, folded = terms[0], terms[0].casefold()
    reports: dict[int, object] = {}
    out: list[SearchHit] = []
    for hit in hits:
        if hit.report_id not in reports:
            try:
                reports[hit.report_id] = load(hit.report_id)
            except Exception:  # noqa: BLE001 (a report that cannot be read keeps its one row)
                reports[hit.report_id] = None
        report = reports[hit.report_id]
        found: list[SearchHit] = []
        for field, text in _fields(report, hit) if report is not None else []:
            for line_no, line in enumerate(text.split("\n")):
                low, at = line.casefold(), line.casefold().find(folded)
                while at >= 0 and first:
                    lo = max(0, at - SNIPPET_CONTEXT)
                    hi = min(len(line), at + len(first) + SNIPPET_CONTEXT)
                    snippet = ("…" if lo else "") + line[lo:hi] + ("…" if hi < len(line) else "")
                    marks = []
                    for t in terms:
                        i = snippet.casefold().find(t.casefold())
                        while i >= 0:
                            marks.append((i, i + len(t)))
                            i = snippet.casefold().find(t.casefold(), i + len(t))
                    found.append(replace(hit, field=field, paragraph=line_no, start=at,
                                         end=at + len(first), snippet=snippet,
                                         highlights=sorted(marks)))
                    at = low.find(folded, at + len(first))
        out.extend(found or [hit])
        if len(out) >= limit:
            return out[:limit]
    return out


def hit_html(hit: SearchHit) -> str:
    import html  # html.entities: not needed to show the window

    parts: list[str] = []
    at = 0
    for a, b in hit.highlights:
        if a < at:
            continue
        parts.append(html.escape(hit.snippet[at:a]))
        parts.append(f'<span style="{MARK}">{html.escape(hit.snippet[a:b])}</span>')
        at = b
    parts.append(html.escape(hit.snippet[at:]))
    head = html.escape(f"{hit.year}年度 · {hit.report_title or hit.organ} — {hit_place(hit)}")
    return f'<div style="color:#1a4f8b;">{head}</div><div>{"".join(parts)}</div>'


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's HTML_ROLE (the snippet with the hit marked)."""

    def _doc(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        import html

        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(index.data(HTML_ROLE) or html.escape(index.data() or ""))
        doc.setTextWidth(max(100, option.rect.width() - 8))
        return doc

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._doc(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.translate(opt.rect.left() + 4, opt.rect.top() + 2)
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        view = opt.widget
        if view is not None:
            opt.rect.setWidth(view.viewport().width())
        doc = self._doc(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 4)


class SearchPanel(QWidget):
    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.hits: list[SearchHit] = []
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("输入要找的文字，多个词用空格分开（都要出现）")
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(self.run)
        self.only_current = QCheckBox("只搜当前报告", self)
        self.only_current.toggled.connect(lambda _on: self.run())
        go = QPushButton("搜索", self)
        go.clicked.connect(self.run)
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.only_current)
        row.addWidget(go)
        self.status = QLabel("在所有草稿中搜索（回收站里的除外）。双击结果打开该报告并选中文字。", self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        self.results = QListWidget(self)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(False)
        self.results.itemActivated.connect(lambda item: self.open_hit(self.results.row(item)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        # Typing searches after a short pause; the index answers in milliseconds.
        self._timer = QTimer(self, singleShot=True, interval=350)
        self._timer.timeout.connect(self.run)
        self.query.textEdited.connect(lambda _t: self._timer.start())

    def run(self) -> list[SearchHit]:
        self._timer.stop()
        text = self.query.text().strip()
        self.results.clear()
        self.hits = []
        if not text:
            self.status.setText("输入要找的文字。")
            return []
        window = self.window_
        # The index holds what is saved: write the last keystrokes first.
        window.save_now()
        current = window.current_report
        rid = current.id if self.only_current.isChecked() and current is not None else None
        try:
            found = window.service.search(text, limit=LIMIT, report_id=rid)
            self.hits = each_occurrence(found, text, self._load)
        except Exception:  # noqa: BLE001 (a damaged index must not stop editing)
            self.status.setText("搜索时出错，没有找到结果。请稍后再试；如果一直这样，请重新启动程序。")
            return []
        for hit in self.hits:
            item = QListWidgetItem(f"{hit.year}年度 · {hit.report_title} — {hit_place(hit)}："
                                   f"{hit.snippet}")
            item.setData(HTML_ROLE, hit_html(hit))
            item.setToolTip(hit.report_title)
            self.results.addItem(item)
        n = len(self.hits)
        if n == 0:
            self.status.setText(f"没有找到“{text}”。")
        elif n >= LIMIT:
            self.status.setText(f"找到很多处，只列出最近写的 {LIMIT} 处。可以多加一个词缩小范围。")
        else:
            reports = len({h.report_id for h in self.hits})
            self.status.setText(f"在 {reports} 份报告中找到 {n} 处。双击打开。")
        return self.hits

    def _load(self, report_id: int):
        current = self.window_.current_report
        if current is not None and current.id == report_id:
            return current
        return self.window_.service.load(report_id)

    def open_hit(self, row: int) -> bool:
        if not 0 <= row < len(self.hits):
            return False
        hit = self.hits[row]
        window = self.window_
        if not window.open_report(hit.report_id):
            return False
        ok = window.show_place(hit.place)
        if not ok:
            window.statusBar().showMessage("这一处已不在报告中（可能已修改或所在部分未启用）。", 6000)
        return ok


class SearchFeature:
    def __init__(self, window, history=None) -> None:
        self.window = window
        self.history = history  # find and replace snapshots and reloads through it
        self.panel = SearchPanel(window)
        self.dock = QDockWidget("搜索全部报告", window)
        self.dock.setObjectName("search_dock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.dialog = None

        self.act_search = QAction("搜索全部报告…", window)
        self.act_search.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.act_search.setStatusTip("在所有报告中搜索文字")
        self.act_search.triggered.connect(lambda _c=False: self.show_search())
        self.act_replace = QAction("查找和替换…", window)
        self.act_replace.setShortcut(QKeySequence("Ctrl+H"))
        self.act_replace.setStatusTip("在当前报告中查找和替换，先预览每一处再替换")
        self.act_replace.triggered.connect(lambda _c=False: self.show_find_replace(True))
        self.act_find = QAction("查找…", window)
        self.act_find.setShortcut(QKeySequence.StandardKey.Find)
        self.act_find.setStatusTip("在当前报告中查找")
        self.act_find.triggered.connect(lambda _c=False: self.show_find_replace(False))
        window.menu("编辑").addSeparator()
        for act in (self.act_find, self.act_replace, self.act_search):
            window.add_report_action("编辑", act)
        window.report_opened.connect(self._opened)
        self._opened(None)

    def _opened(self, report) -> None:
        has = report is not None
        self.act_find.setEnabled(has)
        self.act_replace.setEnabled(has)

    def show_search(self, query: str | None = None) -> SearchPanel:
        self.dock.show()
        self.dock.raise_()
        if query is not None:
            self.panel.query.setText(query)
            self.panel.run()
        self.panel.query.setFocus()
        self.panel.query.selectAll()
        return self.panel

    def show_find_replace(self, replace: bool = True):
        from .find_replace_dialog import FindReplaceDialog

        if self.window.current_report is None:
            return None
        if self.dialog is None:
            self.dialog = FindReplaceDialog(self.window, self.history, self.window)
        self.dialog.set_replace_mode(replace)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.find.setFocus()
        self.dialog.find.selectAll()
        return self.dialog


__all__ = ["SearchFeature", "SearchPanel"]
