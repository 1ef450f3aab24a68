"""Defaults that follow from the 报告单位's name, as a clerk would fill them in: the 单位类型
(…街道办事处 is a 街道, …镇/乡 a 乡镇, …局/委/办 a 政府部门, …县/区/市人民政府 a 县级政府) and the
主送/抄送 of the level it belongs to (a town of a 县 reports to 县委、县人民政府 and copies the
县委依法治县办; one of a 区 to the 区's). No Qt here: the forms call these.

The profile's defaults (resources/profiles/*.toml, [[body_types]]) are written for one level
(乡镇 → 县人民政府); :func:`defaults_for` puts the unit's own level in their place.
"""

from __future__ import annotations

import re

from editor.profile import Profile

# Characters that end a division (or start the unit's own name) and so cannot be inside one.
# 州 may: 杭州市, 通州区 — it ends a division only where no 市/区/县 follows.
_NOT_DIVISION = "省市县区旗镇乡街"
_PROVINCE = rf"[^{_NOT_DIVISION}]{{1,8}}?(?:省|自治区)"
_CITY = rf"[^{_NOT_DIVISION}]{{1,8}}?(?:市|自治州|州(?![市区县])|盟)"
_COUNTY = rf"[^{_NOT_DIVISION}]{{1,8}}?(?:自治县|县|区|市|自治旗|旗)"
_DIVISIONS = re.compile(rf"^(?P<province>{_PROVINCE})?(?P<city>{_CITY})?(?P<county>{_COUNTY})?")

_STREET = re.compile(r"街道(?:办事处|党工委|工委)?$")
_TOWN = re.compile(r"(?:镇|乡)(?:人民政府|政府|党委)?$")
_COUNTY_GOVERNMENT = re.compile(r"(?:县|区|市|旗)(?:人民政府|政府)?$")
_DEPARTMENT = re.compile(r"(?:局|委员会|委|办公室|办|厅|署|中心|院|所|队|站|会|部)$")
LEVELS = ("县", "区", "市", "旗", "州", "盟")
_LEVEL_CHARS = re.compile("[县区市旗州盟]")


def _clean(organ: str) -> str:
    return re.sub(r"\s+", "", organ or "")


def body_type_for(organ: str, names: list[str] | tuple[str, ...] | None = None) -> str | None:
    """The 单位类型 a name implies, or None when the name does not tell (still being typed,
    or unusual). ``names``: the profile's types; a guess it does not have is dropped."""
    name = _clean(organ)
    guess = None
    if len(name) < 2:
        guess = None
    elif _STREET.search(name):
        guess = "街道"
    elif _TOWN.search(name):
        guess = "乡镇"
    elif _DEPARTMENT.search(name):
        guess = "政府部门"
    elif _COUNTY_GOVERNMENT.search(name):
        guess = "县级政府"
    if guess is not None and names is not None and guess not in names:
        return None
    return guess


def divisions(organ: str) -> dict[str, str]:
    """The administrative divisions at the start of a name: “杭州市西湖区司法局” →
    {"city": "杭州市", "county": "西湖区"} (keys province, city, county)."""
    m = _DIVISIONS.match(_clean(organ))
    return {k: v for k, v in m.groupdict().items() if v} if m else {}


def level_of(organ: str) -> str | None:
    """The level a unit belongs to: 县, 区, 市 (a 县级市, or a 市's own department), 旗, 州,
    盟; None if the name has no division."""
    found = divisions(organ)
    for key in ("county", "city"):
        if key in found:
            return found[key][-1]
    return None


def defaults_for(profile: Profile, organ: str, body_type: str) -> dict[str, str]:
    """主送机关 and 抄送机关 for a unit: the profile's, at the unit's level."""
    bt = profile.body_type(body_type)
    values = {"recipients": bt.recipients, "cc": bt.cc}
    found = divisions(organ)
    if bt.name == "县级政府":
        # A county government reports to the city (or 州, 盟) above it, which its name names.
        level = found["city"][-1] if "city" in found else None
    else:
        level = level_of(organ)
    if level:
        values = {k: _LEVEL_CHARS.sub(level, v) for k, v in values.items()}
    return values


def all_defaults(profile: Profile, field: str) -> set[str]:
    """Every value :func:`defaults_for` can give ``field``: a field holding one of them (or
    nothing) was not typed by the user and may follow the name."""
    out = {""}
    for bt in profile.body_types:
        value = getattr(bt, field)
        out.add(value)
        out.update(_LEVEL_CHARS.sub(level, value) for level in LEVELS)
    return out


__all__ = ["all_defaults", "body_type_for", "defaults_for", "divisions", "level_of"]
