"""SLA due times in business hours: weekends, Danish public holidays, summer time, pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lytter.domain.sla import (
    BusinessHours,
    SlaClock,
    SlaState,
    describe_hours,
    parse_duration,
    parse_hours,
)

CPH = ZoneInfo("Europe/Copenhagen")
OFFICE = BusinessHours.office()  # Monday to Friday 8-16, Danish holidays closed


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time as the UTC instant the store keeps."""
    return datetime(year, month, day, hour, minute, tzinfo=CPH).astimezone(UTC)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def test_a_friday_afternoon_comment_is_due_on_monday_morning() -> None:
    assert OFFICE.add(local(2024, 3, 22, 15), hours(2)) == local(2024, 3, 25, 9)


def test_a_comment_at_night_is_due_counted_from_the_next_opening() -> None:
    assert OFFICE.add(local(2024, 3, 19, 22), hours(1)) == local(2024, 3, 20, 9)
    assert OFFICE.add(local(2024, 3, 23, 12), hours(8)) == local(2024, 3, 25, 16)


def test_store_bededag_closed_the_desk_until_2023_but_not_in_2024() -> None:
    # 5 May 2023 was Store Bededag (the fourth Friday after Easter); abolished from 2024.
    assert OFFICE.add(local(2023, 5, 4, 15), hours(2)) == local(2023, 5, 8, 9)
    assert OFFICE.add(local(2024, 4, 25, 15), hours(2)) == local(2024, 4, 26, 9)


def test_kristi_himmelfartsdag_and_christmas_are_closed() -> None:
    # Ascension Day 2024 is Thursday 9 May.
    assert OFFICE.add(local(2024, 5, 8, 15), hours(2)) == local(2024, 5, 10, 9)
    # 24 December is a working day; 25 and 26 December are holidays.
    assert OFFICE.add(local(2024, 12, 24, 15), hours(2)) == local(2024, 12, 27, 9)


def test_due_times_keep_the_local_hour_across_a_change_of_summer_time() -> None:
    # Clocks go back on Sunday 27 October 2024: 9:00 on Monday is 8:00 UTC, not 7:00.
    due = OFFICE.add(local(2024, 10, 25, 15), hours(2))
    assert due == local(2024, 10, 28, 9)
    assert due == datetime(2024, 10, 28, 8, tzinfo=UTC)
    # Clocks go forward on Sunday 31 March 2024 (Easter: Monday 1 April is closed too).
    assert OFFICE.add(local(2024, 3, 27, 15), hours(2)) == local(2024, 4, 2, 9)
    assert local(2024, 4, 2, 9) == datetime(2024, 4, 2, 7, tzinfo=UTC)


def test_a_desk_open_around_the_clock_counts_real_hours_on_the_short_night() -> None:
    always = BusinessHours.always()
    # 24 hours from noon on Saturday 30 March 2024 is 13:00 local on Sunday: an hour is missing.
    assert always.add(local(2024, 3, 30, 12), hours(24)) == local(2024, 3, 31, 13)
    assert always.between(local(2024, 3, 30, 12), local(2024, 3, 31, 12)) == hours(23)
    # ...and the night the clocks go back has an hour more.
    assert always.between(local(2024, 10, 26, 12), local(2024, 10, 27, 12)) == hours(25)


def test_open_time_between_two_instants_skips_nights_weekends_and_holidays() -> None:
    assert OFFICE.between(local(2024, 3, 22, 15), local(2024, 3, 25, 9)) == hours(2)
    assert OFFICE.between(local(2023, 5, 4, 8), local(2023, 5, 8, 16)) == hours(16)
    assert OFFICE.between(local(2024, 3, 25, 9), local(2024, 3, 22, 15)) == hours(0)


def test_a_desk_may_close_on_its_own_dates_and_split_its_day() -> None:
    lunch = BusinessHours(
        weekly=(((480, 720), (780, 960)),) * 5 + ((), ()), closed=frozenset({date(2024, 3, 25)})
    )
    # Friday 11:30 + 1 hour: 30 minutes before lunch, 30 after; Monday 25 March is closed.
    assert lunch.add(local(2024, 3, 22, 11, 30), hours(1)) == local(2024, 3, 22, 13, 30)
    assert lunch.add(local(2024, 3, 22, 15, 30), hours(1)) == local(2024, 3, 26, 8, 30)


def test_impossible_business_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="one entry per weekday"):
        BusinessHours(weekly=((),))
    with pytest.raises(ValueError, match="within a day"):
        BusinessHours(weekly=(((900, 600),),) * 7)
    with pytest.raises(ValueError, match="never open"):
        BusinessHours(weekly=((),) * 7).add(local(2024, 1, 2, 9), hours(1))


def test_the_resolution_clock_stands_still_while_the_item_is_pending() -> None:
    # Opened Monday 9:00 with 8 open hours to resolve; pending (waiting for the customer)
    # from 10:00 Monday to 10:00 Tuesday: 1 hour used, 7 left from Tuesday 10:00.
    opened, pending, resumed = local(2024, 3, 18, 9), local(2024, 3, 18, 10), local(2024, 3, 19, 10)
    clock = SlaClock(hours(8), [(opened, pending), (resumed, None)])
    assert clock.due(OFFICE) == local(2024, 3, 20, 9)
    assert clock.used(OFFICE, local(2024, 3, 19, 12)) == hours(3)
    paused = SlaClock(hours(8), [(opened, pending)])
    assert paused.due(OFFICE) is None
    assert paused.state(OFFICE, local(2024, 3, 25, 12), hours(1)) == SlaState.PAUSED


def test_an_sla_warns_before_it_is_breached_and_says_whether_it_was_met() -> None:
    opened = local(2024, 3, 18, 9)
    clock = SlaClock(hours(2), [(opened, None)])
    warn = hours(0.5)
    assert clock.state(OFFICE, local(2024, 3, 18, 10), warn) == SlaState.RUNNING
    assert clock.state(OFFICE, local(2024, 3, 18, 10, 45), warn) == SlaState.WARNING
    assert clock.state(OFFICE, local(2024, 3, 18, 11), warn) == SlaState.BREACHED
    # Nights do not count: by 7:00 on Tuesday the clock has run 7 hours (Monday 9-16), not 22.
    assert clock.used(OFFICE, local(2024, 3, 19, 7)) == hours(7)
    answered = SlaClock(hours(2), [(opened, None)], done_at=local(2024, 3, 18, 10, 30))
    assert answered.state(OFFICE, local(2024, 3, 19, 12), warn) == SlaState.MET
    late = SlaClock(hours(2), [(opened, None)], done_at=local(2024, 3, 18, 15))
    assert late.state(OFFICE, local(2024, 3, 19, 12), warn) == SlaState.MISSED


def test_hours_are_read_as_people_write_them_and_written_back_the_same_way() -> None:
    hours = parse_hours("mon-thu 8-16; fri 08:00-15:00,17:00-18:00")
    assert hours.weekly[0] == ((480, 960),) and hours.weekly[4] == ((480, 900), (1020, 1080))
    assert describe_hours(hours) == "mon-thu 08:00-16:00; fri 08:00-15:00,17:00-18:00"
    assert describe_hours(parse_hours("24/7")) == "24/7"
    assert (
        parse_hours("sat-mon 10-14").weekly == (((600, 840),),) + ((),) * 4 + (((600, 840),),) * 2
    )
    for bad, problem in [
        ("monday", "write days and hours"),
        ("mon-fri 8-25", "not a time of day"),
        ("xyz 8-16", "days are mon"),
        ("mon 16-8", "closes before it opens"),
    ]:
        with pytest.raises(ValueError, match=problem):
            parse_hours(bad)


def test_targets_are_read_in_hours_and_minutes() -> None:
    assert parse_duration("1h30m") == parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("4h") == hours(4)
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration("2 days")
