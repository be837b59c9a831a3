"""The figures page's default period always holds the latest quarter that has ended: a suppressed
reader's figures cover only whole quarters that have ended (the last 90 days did not, in a
quarter's last days)."""

from datetime import date, timedelta

from coordination.pages.figures import last_quarter_start


def test_the_default_period_starts_at_the_quarter_before_this_one():
    assert last_quarter_start(date(2026, 12, 30)) == date(2026, 7, 1)
    assert last_quarter_start(date(2026, 1, 5)) == date(2025, 10, 1)
    assert last_quarter_start(date(2026, 4, 1)) == date(2026, 1, 1)
    assert last_quarter_start(date(2026, 3, 31)) == date(2025, 10, 1)


def test_every_day_of_a_leap_year_and_the_next_sees_a_whole_ended_quarter():
    day = date(2028, 1, 1)
    while day < date(2030, 1, 1):
        start = last_quarter_start(day)
        this_quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        assert start.day == 1 and start.month in (1, 4, 7, 10) and start < this_quarter <= day
        assert (this_quarter - start).days in (90, 91, 92)  # exactly the quarter before
        day += timedelta(days=1)
