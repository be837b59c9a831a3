"""Advice scripts on SQLite and PostgreSQL: the director edits, each edit a new version with old
ones kept, a stale edit refused, a destination falling back to the generic script, and the contact
naming the version followed."""

import pytest
from sqlalchemy import func, select

from hotline_common.errors import Conflict, InvalidInput, PermissionDenied
from hotline_devstack.testing import principal
from intake.contact import service as contacts
from intake.contact.schemas import ContactCreate
from intake.scripts import service as scripts
from intake.scripts.models import AdviceScriptVersion
from intake.scripts.schemas import ScriptSave

DIRECTOR = principal("director", subject="dir-1")
OPERATOR = principal("operator", subject="op-1")
TURKEY = dict(purpose="advice_work_abroad", destination_country="TR", language="en")


async def test_demo_scripts_cover_turkey_uae_russia_and_a_generic_one_in_three_languages(db):
    async with db.transaction() as session:
        await scripts.load_demo_scripts(session)
        await scripts.load_demo_scripts(session)  # once only
    async with db.reader() as session:
        listed = await scripts.list_scripts(session, OPERATOR)
        found = {(s.purpose, s.destination_country, s.language) for s in listed}
        for country in ("TR", "AE", "RU", ""):
            for lang in ("az", "en", "ru"):
                assert ("advice_work_abroad", country, lang) in found
        generic = await scripts.find_script(
            session, OPERATOR, purpose="advice_work_abroad", destination_country="GE", language="ru"
        )
        turkey = await scripts.find_script(session, OPERATOR, **TURKEY)
    assert generic.destination_country == "" and "паспорт" in generic.body
    assert turkey.destination_country == "TR" and "çalışma izni" in turkey.body
    assert len(listed) == len(found) and all(s.version == 1 for s in listed)


async def test_each_edit_is_a_new_version_and_the_contact_keeps_the_one_followed(db, cipher):
    async with db.transaction() as session:
        first = await scripts.save_script(session, DIRECTOR, ScriptSave(**TURKEY, title="T", body="one"))
    async with db.transaction() as session:
        contact = await contacts.record_contact(
            session,
            OPERATOR,
            cipher,
            ContactCreate(
                line="152",
                caller_role="advice_seeker",
                purpose="advice_work_abroad",
                destination_country="TR",
                script_version_id=first.version_id,
            ),
        )
    async with db.transaction() as session:
        second = await scripts.save_script(
            session, DIRECTOR, ScriptSave(**TURKEY, title="T", body="two", base_version=1)
        )
    async with db.reader() as session:
        history = await scripts.history(session, OPERATOR, first.script_id)
        followed = await scripts.read_version(session, OPERATOR, contact.script_version_id)
        current = await scripts.find_script(session, OPERATOR, **TURKEY)
    assert [(v.version, v.body) for v in history] == [(2, "two"), (1, "one")]
    assert (followed.version, followed.body, followed.current_version) == (1, "one", 2)
    assert current.version_id == second.version_id


async def test_a_stale_edit_is_refused_and_changes_nothing(db):
    async with db.transaction() as session:
        await scripts.save_script(session, DIRECTOR, ScriptSave(**TURKEY, title="T", body="one"))
    async with db.transaction() as session:
        await scripts.save_script(session, DIRECTOR, ScriptSave(**TURKEY, title="T", body="two", base_version=1))
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await scripts.save_script(session, DIRECTOR, ScriptSave(**TURKEY, title="T", body="three", base_version=1))
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(AdviceScriptVersion)) == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"purpose": "report_trafficking"}, "purpose"),
        ({"destination_country": "ZZ"}, "destination_country"),
        ({"language": "de"}, "language"),
    ],
)
async def test_bad_script_keys_are_refused(db, change, field):
    with pytest.raises(InvalidInput) as raised:
        async with db.transaction() as session:
            await scripts.save_script(session, DIRECTOR, ScriptSave(**{**TURKEY, **change}, title="T", body="b"))
    assert raised.value.problems[0].field == field
    async with db.reader() as session:
        assert await session.scalar(select(func.count()).select_from(AdviceScriptVersion)) == 0


async def test_only_the_director_edits(db):
    with pytest.raises(PermissionDenied):
        async with db.transaction() as session:
            await scripts.save_script(session, OPERATOR, ScriptSave(**TURKEY, title="T", body="b"))
    with pytest.raises(PermissionDenied):
        async with db.reader() as session:
            await scripts.list_scripts(session, principal("partner"))
