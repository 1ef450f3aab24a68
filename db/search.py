"""Search across all drafts: FTS5 trigram index (migration m002_search) with a LIKE fallback for
queries shorter than three characters, which trigrams cannot match.

Results carry what the GUI needs to open the place: report id/title/year, the part's index and
uid, the section's index and uid, the field, the paragraph and character offsets, and a snippet
with the hits marked. Texts are read from the live tables, and every hit is re-checked against
them, so an index entry left behind by some unusual write path can never show a wrong result.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from editor.model import Place

from .errors import guard
from .schema import SEARCH_BACKFILL, SEARCH_TRIGGERS, run_script

MIN_TRIGRAM = 3
SNIPPET_CONTEXT = 30  # characters either side of the first hit

# kind in the index → (table, what the GUI calls it, title field, body field)
_KINDS = {
    "s": ("section", "title", "body"),
    "p": ("part", "heading", "lead"),
    "r": ("report", "title", "preamble"),
}


@dataclass
class SearchHit:
    report_id: int
    report_title: str
    year: int
    organ: str
    kind: str  # "section", "part" (heading/lead) or "report" (title/preamble)
    field: str  # title / body / heading / lead / preamble
    part_index: int | None  # position of the part in the report (Report.parts), 0-based
    part_uid: str | None
    section_index: int | None  # position in the part, 0-based
    section_uid: str | None
    paragraph: int  # 0-based paragraph of the field where the first hit is
    start: int  # character offsets of the first hit in that paragraph
    end: int
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans in snippet

    @property
    def place(self) -> Place:
        """The first hit as a place in its report (field, uid, line, offsets)."""
        if self.kind == "section":
            return Place(self.field, self.section_uid or "", self.paragraph, self.start, self.end)
        if self.kind == "part":
            return Place(self.field, self.part_uid or "", self.paragraph, self.start, self.end)
        field = "header.title" if self.field == "title" else "preamble"
        return Place(field, "", self.paragraph, self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def terms_of(query: str) -> list[str]:
    """Space-separated words of a query; each must occur (AND). Quotes are not syntax."""
    return [t for t in re.split(r"\s+", query.replace("\u3000", " ").strip()) if t]


def _db(db_or_repo) -> sqlite3.Connection:
    """The sqlite3 connection of a Repository, a sqlite-utils Database or a connection."""
    return getattr(db_or_repo, "conn", db_or_repo)


@guard("搜索")
def search(
    db_or_repo,
    query: str,
    *,
    limit: int = 100,
    report_id: int | None = None,
    include_deleted: bool = False,
) -> list[SearchHit]:
    """Every place in every draft (not in the recycle bin) where all words of ``query`` occur.

    Sections come before part headings/leads and report titles/preambles; within a kind, newer
    report years first, then document order. When there are more than ``limit`` hits of a
    kind, the most recently written ones are returned.
    """
    db = _db(db_or_repo)
    terms = terms_of(query)
    if not terms:
        return []
    long_terms = [t for t in terms if len(t) >= MIN_TRIGRAM]
    short_terms = [t for t in terms if len(t) < MIN_TRIGRAM]
    hits: list[SearchHit] = []
    for kind in ("s", "p", "r"):
        if len(hits) >= limit:
            break
        rows = _query(db, kind, long_terms, short_terms, limit - len(hits), report_id,
                      include_deleted)
        for row in rows:
            hit = _hit(kind, row, terms)
            if hit is not None:
                hits.append(hit)
    return hits[:limit]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _query(db, kind, long_terms, short_terms, limit, report_id, include_deleted):
    title_col, body_col = {"s": ("s.title", "s.body"), "p": ("p.heading", "p.lead"),
                           "r": ("r.title", "r.preamble")}[kind]
    select = {
        "s": "SELECT r.id, r.title, r.year, r.organ, p.position, p.uid, s.position, s.uid, "
             "s.title, s.body ",
        "p": "SELECT r.id, r.title, r.year, r.organ, p.position, p.uid, NULL, NULL, "
             "p.heading, p.lead ",
        "r": "SELECT r.id, r.title, r.year, r.organ, NULL, NULL, NULL, NULL, "
             "r.title, r.preamble ",
    }[kind]
    joins = {
        "s": "JOIN sections s ON s.uid = f.ref JOIN parts p ON p.uid = s.part_uid "
             "JOIN reports r ON r.id = s.report_id ",
        "p": "JOIN parts p ON p.uid = f.ref JOIN reports r ON r.id = p.report_id ",
        "r": "JOIN reports r ON r.id = f.report_id ",
    }[kind]
    where: list[str] = []
    params: list[Any] = []
    if long_terms:
        sql = select + "FROM search_fts f " + joins
        where.append("search_fts MATCH ?")
        params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        where.append("f.kind = ?")
        params.append(kind)
    else:
        base = {"s": "FROM sections s JOIN parts p ON p.uid = s.part_uid "
                     "JOIN reports r ON r.id = s.report_id ",
                "p": "FROM parts p JOIN reports r ON r.id = p.report_id ",
                "r": "FROM reports r "}[kind]
        sql = select + base
    for t in short_terms:
        where.append(f"({title_col} LIKE ? ESCAPE '\\' OR {body_col} LIKE ? ESCAPE '\\')")
        params += [_like(t), _like(t)]
    if not include_deleted:
        where.append("r.deleted_at IS NULL")
    if report_id is not None:
        where.append("r.id = ?")
        params.append(report_id)
    if long_terms:
        # Newest rows first straight from the index, so a phrase found in every draft stops
        # at the limit instead of sorting all of its matches.
        order = "f.rowid DESC"
    else:
        order = {"s": "s.rowid DESC", "p": "p.rowid DESC", "r": "r.id DESC"}[kind]
    sql += "WHERE " + " AND ".join(where) + f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    rows = db.execute(sql, params).fetchall()
    # Shown newest report year first, then in document order.
    rows.sort(key=lambda r: (-(r[2] or 0), -r[0], r[4] if r[4] is not None else -1,
                             r[6] if r[6] is not None else -1))
    return rows


def _find(text: str, term: str, start: int = 0) -> int:
    return text.casefold().find(term.casefold(), start)


def _hit(kind: str, row, terms: list[str]) -> SearchHit | None:
    rid, rtitle, year, organ, ppos, puid, spos, suid, title, body = row
    title, body = title or "", body or ""
    # Every term must really occur in the current text (all terms, in title or body).
    if not all(_find(title, t) >= 0 or _find(body, t) >= 0 for t in terms):
        return None
    label, title_field, body_field = _KINDS[kind]
    first = terms[0]
    if _find(title, first) >= 0:
        fname, text = title_field, title
    else:
        fname, text = body_field, body
    pos = _find(text, first)
    if pos < 0:  # the first term is only in the other field
        fname, text = (body_field, body) if fname == title_field else (title_field, title)
        pos = max(_find(text, first), 0)
    paragraph = text.count("\n", 0, pos)
    para_start = text.rfind("\n", 0, pos) + 1
    para_end = text.find("\n", pos)
    para = text[para_start: para_end if para_end >= 0 else len(text)]
    start = pos - para_start
    lo = max(0, start - SNIPPET_CONTEXT)
    hi = min(len(para), start + len(first) + SNIPPET_CONTEXT)
    prefix = "…" if lo > 0 else ""
    snippet = prefix + para[lo:hi] + ("…" if hi < len(para) else "")
    highlights = []
    for t in terms:
        i = _find(snippet, t)
        while i >= 0 and t:
            highlights.append((i, i + len(t)))
            i = _find(snippet, t, i + len(t))
    return SearchHit(
        report_id=rid, report_title=rtitle or "", year=year, organ=organ or "", kind=label,
        field=fname, part_index=ppos, part_uid=puid, section_index=spos, section_uid=suid,
        paragraph=paragraph, start=start, end=start + len(first), snippet=snippet,
        highlights=sorted(highlights),
    )


@guard("读取")
def index_is_complete(db_or_repo) -> bool:
    db = _db(db_or_repo)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                      "AND name LIKE 'search_%'")}
    return len(names) == 9


@guard("保存")
def rebuild_index(db_or_repo) -> None:
    """Recreate the triggers (if a table rebuild dropped them) and refill the index."""
    conn = _db(db_or_repo)
    with conn:
        run_script(conn, SEARCH_TRIGGERS + SEARCH_BACKFILL)


__all__ = ["SearchHit", "index_is_complete", "rebuild_index", "search", "terms_of"]
