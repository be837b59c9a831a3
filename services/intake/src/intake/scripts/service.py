"""Guided advice scripts for pre-departure calls: content the director edits, versioned (every
edit is a new version, old ones kept, since a contact names the version the operator followed)."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow
from hotline_common.errors import Conflict, FieldProblem, InvalidInput, NotFound
from hotline_common.i18n import LANGUAGES
from intake.contact import codes
from intake.scripts.demo import DEMO_SCRIPTS
from intake.scripts.models import AdviceScript, AdviceScriptVersion
from intake.scripts.schemas import ScriptSave, ScriptVersionOut


def _out(script: AdviceScript, version: AdviceScriptVersion) -> ScriptVersionOut:
    return ScriptVersionOut(
        script_id=script.id,
        version_id=version.id,
        purpose=script.purpose,
        destination_country=script.destination_country,
        language=script.language,
        version=version.version,
        current_version=script.current_version,
        title=version.title,
        body=version.body,
        author_id=version.author_id,
        created_at=version.created_at,
    )


def _key_problems(purpose: str, destination_country: str, language: str) -> list[FieldProblem]:
    problems = []
    if purpose not in codes.PRE_DEPARTURE_PURPOSES:
        problems.append(FieldProblem("purpose", "scripts are for the pre-departure advice purposes"))
    if destination_country and destination_country not in codes.COUNTRIES:
        problems.append(FieldProblem("destination_country", "unknown code {code}", {"code": repr(destination_country)}))
    if language not in LANGUAGES:
        problems.append(FieldProblem("language", "one of {choices}", {"choices": ", ".join(LANGUAGES)}))
    return problems


async def _version(session: AsyncSession, script: AdviceScript, number: int) -> AdviceScriptVersion:
    version = await session.scalar(
        select(AdviceScriptVersion).where(
            AdviceScriptVersion.script_id == script.id, AdviceScriptVersion.version == number
        )
    )
    assert version is not None  # a script's versions are never deleted
    return version


async def list_scripts(session: AsyncSession, principal: Principal) -> list[ScriptVersionOut]:
    """Every script at its current version."""
    require(principal, Permission.CONTACT_RECORD)
    rows = (
        await session.execute(
            select(AdviceScript, AdviceScriptVersion)
            .join(
                AdviceScriptVersion,
                (AdviceScriptVersion.script_id == AdviceScript.id)
                & (AdviceScriptVersion.version == AdviceScript.current_version),
            )
            .order_by(AdviceScript.purpose, AdviceScript.destination_country, AdviceScript.language)
        )
    ).all()
    return [_out(script, version) for script, version in rows]


async def find_script(
    session: AsyncSession, principal: Principal, *, purpose: str, destination_country: str, language: str
) -> ScriptVersionOut | None:
    """The script to follow on a call: this destination's, else the generic one for the purpose."""
    require(principal, Permission.CONTACT_RECORD)
    problems = _key_problems(purpose, destination_country, language)
    if problems:
        raise InvalidInput(problems)
    for destination in dict.fromkeys((destination_country, "")):
        script = await session.scalar(
            select(AdviceScript).where(
                AdviceScript.purpose == purpose,
                AdviceScript.destination_country == destination,
                AdviceScript.language == language,
            )
        )
        if script is not None:
            return _out(script, await _version(session, script, script.current_version))
    return None


async def history(session: AsyncSession, principal: Principal, script_id: str) -> list[ScriptVersionOut]:
    require(principal, Permission.CONTACT_RECORD)
    script = await session.get(AdviceScript, script_id)
    if script is None:
        raise NotFound("no such script")
    versions = (
        await session.scalars(
            select(AdviceScriptVersion)
            .where(AdviceScriptVersion.script_id == script_id)
            .order_by(AdviceScriptVersion.version.desc())
        )
    ).all()
    return [_out(script, version) for version in versions]


async def read_version(session: AsyncSession, principal: Principal, version_id: str) -> ScriptVersionOut:
    require(principal, Permission.CONTACT_RECORD)
    version = await session.get(AdviceScriptVersion, version_id)
    if version is None:
        raise NotFound("no such script version")
    script = await session.get(AdviceScript, version.script_id)
    assert script is not None  # the version's foreign key
    return _out(script, version)


def may_edit_scripts(principal: Principal) -> bool:
    """Whether the scripts page offers the editor (saving checks it again)."""
    return principal.can(Permission.SCRIPTS_EDIT)


async def save_script(session: AsyncSession, principal: Principal, data: ScriptSave) -> ScriptVersionOut:
    require(principal, Permission.SCRIPTS_EDIT)
    problems = _key_problems(data.purpose, data.destination_country, data.language)
    if problems:
        raise InvalidInput(problems)
    return await _add_version(session, author_id=principal.subject, data=data)


async def _add_version(session: AsyncSession, *, author_id: str, data: ScriptSave) -> ScriptVersionOut:
    now = utcnow()
    script = await session.scalar(
        select(AdviceScript)
        .where(
            AdviceScript.purpose == data.purpose,
            AdviceScript.destination_country == data.destination_country,
            AdviceScript.language == data.language,
        )
        .with_for_update()
    )
    if script is None:
        if data.base_version is not None:
            raise Conflict("this script does not exist yet; save it without base_version")
        script = AdviceScript(
            id=new_id(),
            purpose=data.purpose,
            destination_country=data.destination_country,
            language=data.language,
            current_version=0,
            created_at=now,
        )
        session.add(script)
    elif data.base_version is not None and data.base_version != script.current_version:
        raise Conflict(
            "the script was edited meanwhile (now version {version}); reload it", version=script.current_version
        )
    script.current_version += 1
    version = AdviceScriptVersion(
        id=new_id(),
        script_id=script.id,
        version=script.current_version,
        title=data.title,
        body=data.body,
        author_id=author_id,
        created_at=now,
    )
    session.add(version)
    await session.flush()
    return _out(script, version)


async def load_demo_scripts(session: AsyncSession) -> None:
    """Once: the demo scripts (Turkey, UAE, Russia and a generic one, in az/en/ru)."""
    if await session.scalar(select(AdviceScript.id).limit(1)) is not None:
        return
    for (purpose, destination, language), (title, body) in DEMO_SCRIPTS.items():
        await _add_version(
            session,
            author_id="demo",
            data=ScriptSave(
                purpose=purpose, destination_country=destination, language=language, title=title, body=body
            ),
        )
