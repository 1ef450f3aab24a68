import pytest

from editor.profile import ProfileError, load_profile
from editor.profile.loader import parse_profile


def test_profile_has_the_four_parts_and_the_optional_fifth():
    profile = load_profile()
    assert [p.key for p in profile.parts] == ["measures", "shortcomings", "duty", "plan", "other"]
    assert profile.part_spec("other").optional
    assert profile.body_type_names == ["乡镇", "街道", "县级政府", "政府部门"]


def test_new_report_fills_years_and_names():
    report = load_profile().new_report(2025, "清河县临江镇人民政府", "乡镇")
    assert report.header.title == "清河县临江镇人民政府关于2025年度法治政府建设情况的报告"
    assert report.header.organ_mark == "清河县临江镇人民政府文件"
    assert report.parts[0].heading == "2025年度推进法治政府建设的主要举措和成效"
    assert report.parts[3].heading == "2026年度推进法治政府建设的主要安排"  # next year
    assert report.header.doc_year == "2026"
    assert report.header.recipients.endswith("：")
    assert not report.parts[4].enabled
    assert all(len(p.sections) == 1 for p in report.parts[:4])


def test_every_header_field_has_a_hint():
    profile = load_profile()
    for name in ("organ_mark", "doc_code", "doc_year", "doc_serial", "signer", "title",
                 "recipients", "signature", "date", "note", "cc", "printer", "print_date",
                 "publicity"):
        assert profile.field_label(name) != name
        assert profile.field_hint(name)


def test_malformed_profile_names_what_is_missing():
    with pytest.raises(ProfileError, match="parts"):
        parse_profile({"profile": {"id": "x", "name": "x"}, "body_types": [{"name": "乡镇"}]})


def test_missing_profile_file_is_a_clear_error(tmp_path):
    with pytest.raises(ProfileError, match="找不到"):
        load_profile("nope", str(tmp_path))
