"""The example report a new database starts with: the fictional 清河县临江镇's 2025 report.

Its source is ``resources/examples/linjiang-2025.txt``, read through the import like any pasted
report. ``linjiang-2025.json`` is what that import makes of it (without ids, uids and times, so
every database gets fresh ones), kept so that the very first start does not load the import
machinery only to show the example (~55 ms). tests/test_example_report.py fails when the two
differ; ``python -m editor.example`` writes the JSON again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from editor.model import Report
from editor.paths import resource

SOURCE = ("examples", "linjiang-2025.txt")
STORED = ("examples", "linjiang-2025.json")
# Per-database values: a stored copy must not carry them.
_UNSTORED = ("id", "uid", "created_at", "updated_at")


def parsed_example(profile) -> Report:
    """The example as the import reads it from the text file."""
    from editor.ingest import parse_text

    report = parse_text(resource(*SOURCE).read_text(encoding="utf-8"), profile)
    # The plain-text sample has no field for 公开属性; the example is a complete report.
    report.header.publicity = report.header.publicity or "主动公开"
    return report


def storable(report: Report) -> dict[str, Any]:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in _UNSTORED}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(report.to_dict())


def example_report(profile) -> Report:
    """The example for ``profile``: from the stored JSON when it was made for that profile,
    else read from the text."""
    try:
        data = json.loads(resource(*STORED).read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("profile") == profile.id:
            return Report.from_dict(data)
    except (OSError, ValueError, TypeError):
        pass  # the text is always there to fall back on
    return parsed_example(profile)


def write_stored(profile=None, path: Path | None = None) -> Path:
    from editor.profile import load_profile

    path = path or resource(*STORED)
    data = storable(parsed_example(profile or load_profile()))
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_stored()}")
