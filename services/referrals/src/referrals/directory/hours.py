"""Opening hours: a short text people type and read ("mon-fri 09:00-18:00; sat 10:00-14:00", "24/7")
parsed into spans per weekday, in local time (Asia/Baku). The canonical text is what we store and
show; the spans go to a table so "open now" is one indexed query."""

from __future__ import annotations

import re
from datetime import datetime

from hotline_common.errors import ValueProblem

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY = 24 * 60
ALWAYS = "24/7"

Spans = list[tuple[int, int]]  # [(opens, closes)] in minutes since local midnight, closes <= 1440
Week = dict[int, Spans]  # weekday (0 = Monday) -> spans


_CLAUSE = re.compile(r"^(?P<days>[a-z][a-z,\-\s]*?)\s+(?P<spans>closed|[0-9:,\-\s]+)$")
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _minutes(hours: str, minutes: str, *, closing: bool) -> int:
    h, m = int(hours), int(minutes)
    if m > 59 or h > 24 or (h == 24 and (m or not closing)):
        typed = f"{hours}:{minutes}"
        raise ValueProblem("{value} is not a time of day", value=typed)
    return h * 60 + m


def _days(text: str) -> list[int]:
    text = text.replace(" ", "")
    if text == "daily":
        return list(range(7))
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueProblem("unknown day {value}: use {days} or daily", value=repr(part), days=", ".join(DAYS))
        start, end = DAYS.index(first), DAYS.index(last or first)
        out += [(start + i) % 7 for i in range(((end - start) % 7) + 1)]
    return out


def _merge(spans: Spans) -> Spans:
    merged: Spans = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def parse(text: str) -> Week:
    """Raises a ValueProblem (a ValueError) with a reason a person can act on: an English template
    and the offending text as typed, which the pages translate."""
    week: Week = {day: [] for day in range(7)}
    text = " ".join(text.strip().lower().split())
    if not text:
        return week
    if text == ALWAYS:
        return {day: [(0, FULL_DAY)] for day in range(7)}
    for clause in filter(None, (c.strip() for c in text.split(";"))):
        match = _CLAUSE.match(clause)
        if not match:
            raise ValueProblem("{value} is not like 'mon-fri 09:00-18:00'", value=repr(clause))
        days = _days(match["days"])
        if match["spans"] == "closed":
            for day in days:
                week[day] = []
            continue
        for span in filter(None, (s.strip() for s in match["spans"].split(","))):
            times = _SPAN.match(span)
            if not times:
                raise ValueProblem("{value} is not like 09:00-18:00", value=repr(span))
            opens = _minutes(times[1], times[2], closing=False)
            closes = _minutes(times[3], times[4], closing=True)
            if opens == closes:
                raise ValueProblem("{value} opens and closes at the same time", value=repr(span))
            for day in days:
                if closes > opens:
                    week[day].append((opens, closes))
                else:  # past midnight: the rest of this day and the start of the next
                    week[day].append((opens, FULL_DAY))
                    if closes:
                        week[(day + 1) % 7].append((0, closes))
    return {day: _merge(spans) for day, spans in week.items()}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def span_text(spans: Spans) -> str:
    return ",".join(f"{_clock(o)}-{_clock(c)}" for o, c in spans)


def canonical(week: Week) -> str:
    """The one spelling of a week: consecutive days with the same hours grouped."""
    if all(week.get(day) == [(0, FULL_DAY)] for day in range(7)):
        return ALWAYS
    clauses, day = [], 0
    while day < 7:
        spans = week.get(day, [])
        last = day
        while last + 1 < 7 and week.get(last + 1, []) == spans:
            last += 1
        if spans:
            days = DAYS[day] if last == day else f"{DAYS[day]}-{DAYS[last]}"
            clauses.append(f"{days} {span_text(spans)}")
        day = last + 1
    return "; ".join(clauses)


def normalise(text: str) -> str:
    return canonical(parse(text))


def by_day(week: Week) -> dict[str, list[str]]:
    return {DAYS[day]: [f"{_clock(o)}-{_clock(c)}" for o, c in week.get(day, [])] for day in range(7)}


def local_slot(moment: datetime) -> tuple[int, int]:
    """(weekday, minute of day) of an aware local datetime."""
    return moment.weekday(), moment.hour * 60 + moment.minute


def is_open(week: Week, moment: datetime) -> bool:
    weekday, minute = local_slot(moment)
    return any(opens <= minute < closes for opens, closes in week.get(weekday, []))
