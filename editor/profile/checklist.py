"""Load the checklist of a profile: ``resources/profiles/<profile>.checklist.toml``.

The checklist is data: items with patterns, scope, severity and applicability by body type. This
module only reads and validates it; editor/check/checklist.py evaluates it against a report.

Patterns may name a synonym set of the file's ``[synonyms]`` table as ``{名称}``: real reports say
one thing in many ways (学法 / 集中学法 / 会前学法 / 中心组学习), and a set written once serves every
item that needs it. A set's value is a regular expression (or a list of alternatives) and may
itself name other sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from pathlib import Path

from ..paths import TOMLDecodeError, read_toml, resource
from .loader import ProfileError

SEVERITIES = ("required", "recommended", "optional")
SCOPES = ("structure_parts", "headings_L1", "headings_L1_L2", "part1", "part2",
          "part3_else_part1", "part4", "metadata_field")
GROUP_LABELS = {
    "structure": "结构",
    "part1": "第一部分 主要举措和成效",
    "part2": "第二部分 存在的不足和原因",
    "part3": "第三部分 第一责任人职责",
    "part4": "第四部分 下一年度安排",
    "metadata": "公文要素",
}


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    group: str  # structure / part1 / part2 / part3 / part4 / metadata
    label: str
    severity: str
    scope: str
    patterns: tuple[str, ...]
    min_hits: int = 1
    applies: tuple[str, ...] = ()
    why: str = ""
    note: str = ""
    part_keys: tuple[str, ...] = ()
    field: str = ""
    template: str = ""
    check: str = ""
    optional_for: tuple[str, ...] = ()
    severity_for: dict[str, str] = dc_field(default_factory=dict, compare=False)
    label_for: dict[str, str] = dc_field(default_factory=dict, compare=False)
    label_for_others: str = ""
    patterns_for: dict[str, tuple[str, ...]] = dc_field(default_factory=dict, compare=False)
    # Matches of these patterns alone are weak evidence (可能已写到): boilerplate that often
    # stands in a report without the thing being done.
    weak: tuple[str, ...] = ()
    # Outside a 第一责任人 part or section, a match counts only in a sentence that names a
    # principal leader (the item is about what the leader did, not what the body did).
    leader: bool = False
    # Wording that depends on the report year: ((from_year, to_year, patterns), …).
    dated: tuple[tuple[int, int, tuple[str, ...]], ...] = ()

    def applies_to(self, body_type: str) -> bool:
        return not self.applies or body_type in self.applies

    def severity_of(self, body_type: str) -> str:
        if body_type in self.optional_for:
            return "optional"
        return self.severity_for.get(body_type, self.severity)

    def label_of(self, body_type: str) -> str:
        if body_type in self.label_for:
            return self.label_for[body_type]
        return self.label_for_others or self.label

    def patterns_of(self, body_type: str, year: int | None = None) -> tuple[str, ...]:
        base = self.patterns_for.get(body_type, self.patterns)
        if year is None or not self.dated:
            return base
        extra = tuple(p for lo, hi, ps in self.dated if lo <= year <= hi for p in ps)
        return base + extra


@dataclass(frozen=True)
class Checklist:
    profile: str
    items: tuple[ChecklistItem, ...]
    deadline: tuple[int, int] = (4, 1)  # (month, day) in the year after the report year
    leader_pattern: str = ""  # who counts as a principal leader (items with ``leader``)
    duty_pattern: str = ""  # a heading that makes its part or section the 第一责任人 scope

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def for_body_type(self, body_type: str) -> list[ChecklistItem]:
        return [i for i in self.items if i.applies_to(body_type)]


def _tuple(value) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


_MACRO = re.compile(r"\{([^\d{},\s][^{},\s]*)\}")


def expand_synonyms(pattern: str, synonyms: dict[str, str], where: str = "",
                    depth: int = 0) -> str:
    """``pattern`` with every ``{名称}`` replaced by its synonym set, as a group."""
    if depth > 8:
        raise ProfileError(f"检查清单 {where} 的同义词组互相引用，无法展开：{pattern}")

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in synonyms:
            raise ProfileError(f"检查清单 {where} 中用到了未定义的同义词组“{name}”。")
        return "(?:" + expand_synonyms(synonyms[name], synonyms, where, depth + 1) + ")"

    return _MACRO.sub(one, pattern)


def _synonyms(data: dict) -> dict[str, str]:
    out = {}
    for name, value in (data.get("synonyms") or {}).items():
        out[name] = "|".join(value) if isinstance(value, list) else str(value)
    return out


def parse_checklist(data: dict, profile: str, where: str = "checklist") -> Checklist:
    items = []
    seen: set[str] = set()
    synonyms = _synonyms(data)

    def pats(value) -> tuple[str, ...]:
        return tuple(expand_synonyms(p, synonyms, where) for p in _tuple(value))

    for raw in data.get("items") or []:
        try:
            item = ChecklistItem(
                id=raw["id"],
                group=raw.get("group", "part1"),
                label=raw["label"],
                severity=raw.get("severity", "required"),
                scope=raw.get("scope", "part1"),
                patterns=pats(raw.get("patterns")),
                min_hits=int(raw.get("min_hits", 1)),
                applies=_tuple(raw.get("applies")),
                why=raw.get("why", ""),
                note=raw.get("note", ""),
                part_keys=_tuple(raw.get("part_keys")),
                field=raw.get("field", ""),
                template=raw.get("template", ""),
                check=raw.get("check", ""),
                optional_for=_tuple(raw.get("optional_for")),
                severity_for=dict(raw.get("severity_for") or {}),
                label_for=dict(raw.get("label_for") or {}),
                label_for_others=raw.get("label_for_others", ""),
                patterns_for={k: pats(v) for k, v in (raw.get("patterns_for") or {}).items()},
                weak=pats(raw.get("weak")),
                leader=bool(raw.get("leader", False)),
                dated=tuple((int(d.get("from", 0)), int(d.get("until", 9999)),
                             pats(d.get("patterns"))) for d in raw.get("dated") or ()),
            )
        except KeyError as exc:
            raise ProfileError(f"检查清单 {where} 中有一项缺少“{exc.args[0]}”。") from exc
        if item.id in seen:
            raise ProfileError(f"检查清单 {where} 中的编号“{item.id}”重复。")
        if item.severity not in SEVERITIES:
            raise ProfileError(f"检查清单 {where} 中“{item.id}”的 severity 无效：{item.severity}。")
        if item.scope not in SCOPES:
            raise ProfileError(f"检查清单 {where} 中“{item.id}”的 scope 无效：{item.scope}。")
        for pattern in (*item.patterns, *(p for ps in item.patterns_for.values() for p in ps),
                        *item.weak, *(p for _a, _b, ps in item.dated for p in ps)):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(
                    f"检查清单 {where} 中“{item.id}”的正则表达式有误：{pattern}（{exc}）。"
                ) from exc
        seen.add(item.id)
        items.append(item)
    deadline = data.get("deadline") or {}
    scopes = data.get("scopes") or {}
    return Checklist(
        profile=profile,
        items=tuple(items),
        deadline=(int(deadline.get("month", 4)), int(deadline.get("day", 1))),
        leader_pattern=expand_synonyms(scopes.get("leader", ""), synonyms, where),
        duty_pattern=expand_synonyms(scopes.get("duty_heading", ""), synonyms, where),
    )


@lru_cache(maxsize=8)
def load_checklist(profile: str = "fazhi_zhengfu", directory: str | None = None) -> Checklist:
    """The checklist of ``profile``; an empty checklist when the profile has none."""
    path = Path(directory) if directory else resource("profiles")
    file = path / f"{profile}.checklist.toml"
    if not file.exists():
        return Checklist(profile=profile, items=())
    try:
        data = read_toml(file)
    except TOMLDecodeError as exc:
        raise ProfileError(f"检查清单文件 {file} 格式有误：{exc}") from exc
    return parse_checklist(data, profile, str(file))
