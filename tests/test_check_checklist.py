"""The checklist is data in the profile: all 54 items of the spec, loaded and validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.profile import ProfileError
from editor.profile.checklist import load_checklist, parse_checklist

# shared/ sits beside the checkout (also in CI)
SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "checklist.json"
IDS = (
    [f"S-0{i}" for i in range(1, 6)] + [f"P1-{i:02d}" for i in range(1, 22)]
    + [f"P2-0{i}" for i in range(1, 4)] + [f"P3-{i:02d}" for i in range(1, 12)]
    + [f"P4-0{i}" for i in range(1, 4)] + [f"M-{i:02d}" for i in range(1, 12)]
)


def test_all_54_items_load_with_their_groups():
    checklist = load_checklist("fazhi_zhengfu")
    assert len(checklist.items) == 54
    groups = [i.group for i in checklist.items]
    assert groups.count("structure") == 5 and groups.count("part1") == 21
    assert groups.count("part2") == 3 and groups.count("part3") == 11
    assert groups.count("part4") == 3 and groups.count("metadata") == 11
    assert checklist.deadline == (4, 1)


def test_items_match_the_spec_file():
    """Same items and severities as the spec; the patterns were tuned on real reports
    (tests/data/real), so they may differ from the spec's starting point."""
    ours = {i.id: i for i in load_checklist("fazhi_zhengfu").items}
    assert list(ours) == IDS
    items = json.loads(SPEC.read_text(encoding="utf-8"))["items"] if SPEC.exists() else []
    for raw in items:
        item = ours[raw["id"]]
        assert item.severity == raw["severity"]
        assert item.patterns or item.check or item.scope == "metadata_field"


def test_synonym_sets_expand_and_unknown_ones_are_refused():
    data = {"synonyms": {"学法": ["会前学法", "集中学法"], "会": "{学法}|例会"},
            "items": [{"id": "X", "label": "x", "patterns": ["{会}.{0,3}次"]}]}
    (item,) = parse_checklist(data, "p").items
    assert item.patterns == ("(?:(?:会前学法|集中学法)|例会).{0,3}次",)
    with pytest.raises(ProfileError, match="未定义的同义词组"):
        parse_checklist({"items": [{"id": "X", "label": "x", "patterns": ["{无此组}"]}]}, "p")


def test_bad_checklist_is_refused_in_chinese():
    with pytest.raises(ProfileError, match="正则表达式有误"):
        parse_checklist({"items": [{"id": "X", "label": "x", "patterns": ["("]}]}, "p")
    with pytest.raises(ProfileError, match="重复"):
        parse_checklist({"items": [{"id": "X", "label": "x"}, {"id": "X", "label": "y"}]}, "p")
    with pytest.raises(ProfileError, match="severity"):
        parse_checklist({"items": [{"id": "X", "label": "x", "severity": "must"}]}, "p")


def test_unknown_profile_has_an_empty_checklist():
    assert load_checklist("no_such_profile").items == ()


def test_a_new_empty_report_has_no_part_written_yet(service):
    """The headings a new report is given are not its parts: nothing under 结构 is ✔ until
    something is written under them."""
    from editor.check.checker import Checker

    report = service.new_report(2025, "清河县临江镇人民政府", "乡镇")
    by_id = {r.id: r for r in Checker().check(report).checklist}
    assert {by_id[i].auto for i in ("S-01", "S-02", "S-03", "S-04")} == {"missing"}
    report.parts[1].sections[0].body = "部分干部法治意识不强。"
    by_id = {r.id: r for r in Checker().check(report).checklist}
    assert by_id["S-02"].auto == "met" and by_id["S-01"].auto == "missing"
