"""Load the checklist of a profile: ``resources/profiles/<profile>.checklist.toml``.

The checklist is data: items with patterns, scope, severity and applicability by body type. This
module only reads and validates it; editor/check/checklist.py evaluates it against a report.
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

    def patterns_of(self, body_type: str) -> tuple[str, ...]:
        return self.patterns_for.get(body_type, self.patterns)


@dataclass(frozen=True)
class Checklist:
    profile: str
    items: tuple[ChecklistItem, ...]
    deadline: tuple[int, int] = (4, 1)  # (month, day) in the year after the report year

    def item(self, item_id: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def for_body_type(self, body_type: str) -> list[ChecklistItem]:
        return [i for i in self.items if i.applies_to(body_type)]


def _tuple(value) -> tuple[str, ...]:
    return tuple(str(v) for v in (value or ()))


def parse_checklist(data: dict, profile: str, where: str = "checklist") -> Checklist:
    items = []
    seen: set[str] = set()
    for raw in data.get("items") or []:
        try:
            item = ChecklistItem(
                id=raw["id"],
                group=raw.get("group", "part1"),
                label=raw["label"],
                severity=raw.get("severity", "required"),
                scope=raw.get("scope", "part1"),
                patterns=_tuple(raw.get("patterns")),
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
                patterns_for={k: _tuple(v) for k, v in (raw.get("patterns_for") or {}).items()},
            )
        except KeyError as exc:
            raise ProfileError(f"检查清单 {where} 中有一项缺少“{exc.args[0]}”。") from exc
        if item.id in seen:
            raise ProfileError(f"检查清单 {where} 中的编号“{item.id}”重复。")
        if item.severity not in SEVERITIES:
            raise ProfileError(f"检查清单 {where} 中“{item.id}”的 severity 无效：{item.severity}。")
        if item.scope not in SCOPES:
            raise ProfileError(f"检查清单 {where} 中“{item.id}”的 scope 无效：{item.scope}。")
        for pattern in (*item.patterns, *(p for ps in item.patterns_for.values() for p in ps)):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(
                    f"检查清单 {where} 中“{item.id}”的正则表达式有误：{pattern}（{exc}）。"
                ) from exc
        seen.add(item.id)
        items.append(item)
    deadline = data.get("deadline") or {}
    return Checklist(
        profile=profile,
        items=tuple(items),
        deadline=(int(deadline.get("month", 4)), int(deadline.get("day", 1))),
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
