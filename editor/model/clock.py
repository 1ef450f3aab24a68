"""The one timestamp format stored everywhere (created_at, ticked_at, reviewed_at …)."""

from __future__ import annotations

from datetime import datetime


def now() -> str:
    """Local time to the second, ISO 8601: sorts as text and reads as a date."""
    return datetime.now().isoformat(timespec="seconds")
