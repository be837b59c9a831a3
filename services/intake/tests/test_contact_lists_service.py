"""Contact lists on SQLite and PostgreSQL: every filter, keyset pages that neither skip nor repeat,
bad filters refused."""

from datetime import UTC, datetime, timedelta

import pytest

from hotline_common.errors import InvalidInput, PermissionDenied
from hotline_devstack.testing import principal
from intake.contact import service as contacts
from intake.contact.schemas import ContactCreate

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)


async def seed(db, cipher) -> list:
    """12 calls, 1 hour apart (two share a start time), varied codes."""
    made = []
    for i in range(12):
        operator = principal("operator", subject=f"op-{i % 2}")
        started = T0 + timedelta(hours=min(i, 10))
        data = ContactCreate(
            line=("152", "562-21-12", "other")[i % 3],
            caller_role=("victim", "advice_seeker")[i % 2],
            purpose=("report_trafficking", "information", "advice_work_abroad")[i % 3],
            started_at=started,
            indicators=["locked_in", "threats_to_caller"] if i % 4 == 0 else [],
            follow_up_needed=i % 5 == 0,
            follow_up_due_at=started + timedelta(days=1) if i % 5 == 0 else None,
        )
        async with db.transaction() as session:
            made.append(await contacts.record_contact(session, operator, cipher, data))
    return made


async def listed(db, **filters) -> list:
    async with db.reader() as session:
        return (await contacts.list_contacts(session, principal("operator"), **filters)).items


async def test_filters_each_narrow_the_list(db, cipher):
    made = await seed(db, cipher)

    def expect(pred):
        return sorted((c.id for c in made if pred(c)), reverse=True)

    newest_first = lambda items: [c.id for c in items]  # noqa: E731
    assert newest_first(await listed(db, limit=200)) == expect(lambda c: True)
    assert newest_first(await listed(db, line="562-21-12")) == expect(lambda c: c.line == "562-21-12")
    assert newest_first(await listed(db, caller_role="victim")) == expect(lambda c: c.caller_role == "victim")
    assert newest_first(await listed(db, purpose="information")) == expect(lambda c: c.purpose == "information")
    assert newest_first(await listed(db, risk_level="high")) == expect(lambda c: c.risk_level == "high")
    assert newest_first(await listed(db, operator_id="op-1")) == expect(lambda c: c.operator_id == "op-1")
    assert newest_first(await listed(db, open_follow_up=True)) == expect(lambda c: c.follow_up_needed)
    window = dict(since=T0 + timedelta(hours=2), until=T0 + timedelta(hours=5))
    assert newest_first(await listed(db, **window)) == expect(
        lambda c: window["since"] <= c.started_at < window["until"]
    )
    async with db.transaction() as session:
        await contacts.mark_follow_up_done(session, principal("operator", subject=made[0].operator_id), made[0].id)
    assert made[0].id not in newest_first(await listed(db, open_follow_up=True))


async def test_keyset_pages_cover_everything_once_even_with_equal_start_times(db, cipher):
    made = await seed(db, cipher)
    seen, cursor = [], None
    while True:
        async with db.reader() as session:
            page = await contacts.list_contacts(session, principal("operator"), limit=5, after=cursor)
        seen += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == sorted(
        (c.id for c in made), key=lambda i: next((c.started_at, c.id) for c in made if c.id == i), reverse=True
    )
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize(
    "filters, field",
    [
        ({"line": "999"}, "line"),
        ({"caller_role": "villain"}, "caller_role"),
        ({"purpose": "fun"}, "purpose"),
        ({"risk_level": "extreme"}, "risk_level"),
        ({"after": "garbage"}, "after"),
        ({"since": datetime(2026, 1, 1)}, "since"),
    ],
)
async def test_bad_filters_are_refused_naming_the_field(db, filters, field):
    with pytest.raises(InvalidInput) as raised:
        await listed(db, **filters)
    assert raised.value.problems[0].field == field


async def test_outside_the_hotline_nobody_lists(db):
    with pytest.raises(PermissionDenied):
        async with db.reader() as session:
            await contacts.list_contacts(session, principal("analyst"))
