"""Load the proofreading rule data (resources/proofread/rules.toml, words.txt) once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..paths import TOMLDecodeError, read_toml, resource

# The report's own title (header.title) is running text like a heading.
DEFAULT_KINDS = ("prose", "heading", "title", "closing", "header.title")


class RulesError(ValueError):
    """The rule file is missing or malformed."""


@dataclass(frozen=True)
class RegexRule:
    id: str
    severity: str
    pattern: re.Pattern
    message: str
    replace: str | None = None
    kinds: tuple[str, ...] = DEFAULT_KINDS
    from_year: int | None = None
    to_year: int | None = None
    skip_in_titles: bool = False
    skip_in_quotes: bool = False
    fix_in_titles: bool = False

    def runs_on(self, kind: str, year: int) -> bool:
        if self.from_year is not None and year < self.from_year:
            return False
        if self.to_year is not None and year > self.to_year:
            return False
        if kind in self.kinds:
            return True
        return kind.startswith("header.") and "header" in self.kinds


@dataclass(eq=False)
class RuleSet:
    data: dict[str, Any]
    words_path: Path | None = None
    version: str = ""
    regex: list[RegexRule] = field(default_factory=list)

    @cached_property
    def words(self) -> frozenset[str]:
        """The general word list and the domain lexicon together."""
        if self.words_path is None or not self.words_path.exists():
            return frozenset(self.domain.get("words", ()))
        text = self.words_path.read_text(encoding="utf-8")
        general = (w for w in text.split("\n") if w and not w.startswith("#"))
        return frozenset(general) | frozenset(self.domain.get("words", ()))

    @cached_property
    def formulations(self) -> dict[str, Any]:
        """resources/proofread/formulations.toml ({} when absent)."""
        return self._sibling("formulations.toml")

    @cached_property
    def domain(self) -> dict[str, Any]:
        """resources/proofread/domain_words.toml: government words, one-character words, place
        name suffixes and what follows them ({} when absent)."""
        return self._sibling("domain_words.toml")

    def _sibling(self, name: str) -> dict[str, Any]:
        if self.words_path is None:
            return {}
        file = self.words_path.parent / name
        try:
            return read_toml(file)
        except FileNotFoundError:
            return {}
        except TOMLDecodeError as exc:
            raise RulesError(f"校对用词表 {file} 格式有误：{exc}") from exc

    def section(self, name: str) -> dict[str, Any]:
        return self.data.get(name) or {}


def parse_rules(data: dict[str, Any], words_path: Path | None = None, where: str = "") -> RuleSet:
    rules = []
    for raw in data.get("regex") or []:
        try:
            rules.append(RegexRule(
                id=raw["id"],
                severity=raw.get("severity", "warning"),
                pattern=re.compile(raw["pattern"], re.MULTILINE),
                message=raw["message"],
                replace=raw.get("replace"),
                kinds=tuple(raw.get("kinds") or DEFAULT_KINDS),
                from_year=raw.get("from_year"),
                to_year=raw.get("to_year"),
                skip_in_titles=bool(raw.get("skip_in_titles", False)),
                skip_in_quotes=bool(raw.get("skip_in_quotes", False)),
                fix_in_titles=bool(raw.get("fix_in_titles", False)),
            ))
        except KeyError as exc:
            raise RulesError(f"校对规则 {where} 中有一条缺少“{exc.args[0]}”。") from exc
        except re.error as exc:
            raise RulesError(f"校对规则 {where} 中“{raw.get('id')}”的正则表达式有误：{exc}") from exc
    digest = hashlib.blake2b(repr(sorted(data.items(), key=str)).encode(), digest_size=8)
    return RuleSet(data=data, words_path=words_path, version=digest.hexdigest(), regex=rules)


@lru_cache(maxsize=4)
def load_rules(directory: str | None = None) -> RuleSet:
    path = Path(directory) if directory else resource("proofread")
    file = path / "rules.toml"
    try:
        data = read_toml(file)
    except FileNotFoundError as exc:
        raise RulesError(f"找不到校对规则文件 {file}。请重新安装程序。") from exc
    except TOMLDecodeError as exc:
        raise RulesError(f"校对规则文件 {file} 格式有误：{exc}") from exc
    return parse_rules(data, path / "words.txt", str(file))
