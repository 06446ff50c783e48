"""Reading the dates people type: a whole day in their zone, or an exact ISO 8601 time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lytter.services.errors import UserError


def zone_named(name: str) -> ZoneInfo:
    """The time zone `name`; UserError with an example otherwise."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            "unknown time zone '{name}' (e.g. Europe/Copenhagen or UTC)", name=name
        ) from None


def parse_when(value: str | None, field: str, zone: ZoneInfo, *, end: bool) -> datetime | None:
    """A date (the whole day, in `zone`) or an ISO 8601 time, in UTC.

    With `end`, a date means the end of that day, so "until 2024-05-31" includes the 31st.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            start = datetime.combine(day, time(0), zone)
            return (start + timedelta(days=1) if end else start).astimezone(UTC)
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(
            "{name} '{value}' is not a date (2024-05-31) or ISO 8601 time",
            field=field.lstrip("-"),
            name=field,
            value=value,
        ) from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(UTC)
