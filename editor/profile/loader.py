"""Load and validate ``resources/profiles/*.toml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import Header, Part, Report, Section
from ..paths import TOMLDecodeError, read_toml, resource


class ProfileError(ValueError):
    """A profile file is missing or malformed."""


@dataclass(frozen=True)
class PartSpec:
    key: str
    label: str
    heading: str
    hint: str = ""
    optional: bool = False


@dataclass(frozen=True)
class BodyType:
    name: str
    recipients: str = ""
    cc: str = ""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    title: str
    organ_mark: str
    preamble: str
    closing: str
    default_year_offset: int
    parts: tuple[PartSpec, ...]
    body_types: tuple[BodyType, ...]
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # ---- lookups ---------------------------------------------------------------------------
    def part_spec(self, key: str) -> PartSpec | None:
        return next((p for p in self.parts if p.key == key), None)

    def body_type(self, name: str) -> BodyType:
        return next((b for b in self.body_types if b.name == name), self.body_types[0])

    @property
    def body_type_names(self) -> list[str]:
        return [b.name for b in self.body_types]

    def field_label(self, name: str) -> str:
        return self.fields.get(name, {}).get("label", name)

    def field_hint(self, name: str) -> str:
        return self.fields.get(name, {}).get("hint", "")

    # ---- templates ---------------------------------------------------------------------------
    def fill(self, template: str, year: int, organ: str) -> str:
        return template.format(year=year, next_year=year + 1, organ=organ)

    def part_heading(self, key: str, year: int, organ: str = "") -> str:
        spec = self.part_spec(key)
        return self.fill(spec.heading, year, organ) if spec else ""

    def new_report(self, year: int, organ: str, body_type: str) -> Report:
        """A fresh report with every default filled in from this profile."""
        bt = self.body_type(body_type)
        header = Header(
            organ_mark=self.fill(self.organ_mark, year, organ),
            doc_year=str(year + 1),
            title=self.fill(self.title, year, organ),
            recipients=bt.recipients,
            signature=organ,
            cc=bt.cc,
        )
        parts = [
            Part(
                key=spec.key,
                heading=self.fill(spec.heading, year, organ),
                sections=[] if spec.optional else [Section()],
                enabled=not spec.optional,
            )
            for spec in self.parts
        ]
        return Report(
            year=year,
            organ=organ,
            body_type=bt.name,
            profile=self.id,
            header=header,
            preamble=self.fill(self.preamble, year, organ),
            parts=parts,
            closing=self.closing,
        )


def _require(table: dict, key: str, where: str):
    if key not in table:
        raise ProfileError(f"配置文件 {where} 缺少“{key}”项。")
    return table[key]


def parse_profile(data: dict[str, Any], where: str = "profile") -> Profile:
    head = _require(data, "profile", where)
    parts = tuple(
        PartSpec(
            key=_require(p, "key", where),
            label=p.get("label", p["key"]),
            heading=_require(p, "heading", where),
            hint=p.get("hint", ""),
            optional=bool(p.get("optional", False)),
        )
        for p in _require(data, "parts", where)
    )
    if not parts:
        raise ProfileError(f"配置文件 {where} 没有定义任何部分。")
    body_types = tuple(
        BodyType(_require(b, "name", where), b.get("recipients", ""), b.get("cc", ""))
        for b in _require(data, "body_types", where)
    )
    if not body_types:
        raise ProfileError(f"配置文件 {where} 没有定义报告单位类型。")
    return Profile(
        id=_require(head, "id", where),
        name=_require(head, "name", where),
        title=head.get("title", "{organ}关于{year}年度工作情况的报告"),
        organ_mark=head.get("organ_mark", "{organ}文件"),
        preamble=head.get("preamble", ""),
        closing=head.get("closing", "特此报告。"),
        default_year_offset=int(head.get("default_year_offset", -1)),
        parts=parts,
        body_types=body_types,
        fields=dict(data.get("fields", {})),
        raw=data,
    )


@lru_cache(maxsize=8)
def load_profile(name: str = "fazhi_zhengfu", directory: str | None = None) -> Profile:
    path = Path(directory) if directory else resource("profiles")
    file = path / f"{name}.toml"
    try:
        data = read_toml(file)
    except FileNotFoundError as exc:
        raise ProfileError(f"找不到报告配置文件 {file}。请重新安装程序。") from exc
    except TOMLDecodeError as exc:
        raise ProfileError(f"报告配置文件 {file} 格式有误：{exc}") from exc
    return parse_profile(data, str(file))
