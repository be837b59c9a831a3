"""How long signing and verifying a Working Group protocol takes through coordination's service
layer (document built from the record, canonical JSON, Ed25519, key unsealed per signature), on a
fresh SQLite database: one meeting with the nine demo members, eight votes, then N corrections
signed in a row, and each verified. A script, not a test.

    .venv/bin/python bench/coordination_protocols.py [--protocols 200]
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from coordination.database import MIGRATIONS
from coordination.decisions import service as decisions
from coordination.decisions.schemas import ProposalCreate, VoteIn
from coordination.meetings import service as meetings
from coordination.meetings.schemas import AttendanceIn, MeetingCreate
from coordination.members import service as members
from coordination.protocols import service as protocols
from coordination.protocols.keys import KeyVault
from coordination.protocols.schemas import SignIn
from hotline_common.auth import Principal, Role
from hotline_common.crypto import FieldCipher
from hotline_common.demo import ACCOUNT_IDS
from hotline_devstack.testing import migrated_database

BAKU = ZoneInfo("Asia/Baku")
COORDINATOR = Principal(subject="bench-coordinator", role=Role.COORDINATOR, name="c", organisation_id=None)
HEAD = Principal(subject=ACCOUNT_IDS["head"], role=Role.WG_MEMBER, name="head", organisation_id=None)


async def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await migrated_database(MIGRATIONS, f"sqlite+aiosqlite:///{Path(tmp) / 'c.db'}")
        vault = KeyVault(FieldCipher.generate_keyring("b1"))
        async with db.transaction() as s:
            await members.load_demo_members(s)
        async with db.reader() as s:
            ids = [m.id for m in await members.list_members(s, COORDINATOR)]
        async with db.transaction() as s:
            m = await meetings.schedule_meeting(
                s,
                COORDINATOR,
                MeetingCreate(scheduled_for="2026-12-10T10:00:00+04:00", online=True, agenda=["NAP", "Shelters"]),
                BAKU,
            )
            await meetings.agree_meeting(s, COORDINATOR, m.id, BAKU)
            await meetings.record_attendance(
                s, COORDINATOR, m.id, AttendanceIn(entries=[{"member_id": i, "presence": "online"} for i in ids]), BAKU
            )
            await meetings.open_meeting(s, COORDINATOR, m.id, BAKU)
            p = await decisions.add_proposal(s, COORDINATOR, m.id, ProposalCreate(agenda_item=2, text="X"), BAKU)
        for n, i in enumerate(ids[:8]):
            async with db.transaction() as s:
                await decisions.cast_vote(
                    s, COORDINATOR, m.id, p.id, VoteIn(member_id=i, choice=("for", "against")[n % 2]), BAKU
                )
        async with db.transaction() as s:
            await decisions.decide_proposal(s, COORDINATOR, m.id, p.id, BAKU)
            await meetings.close_meeting(s, COORDINATOR, m.id, BAKU)
        sign_ms, verify_ms, previous = [], [], None
        for _ in range(count):
            started = time.perf_counter()
            async with db.transaction() as s:
                signed = await protocols.sign_protocol(
                    s,
                    HEAD,
                    m.id,
                    SignIn(supersedes=previous, correction_reason="bench" if previous else None),
                    BAKU,
                    vault,
                )
            sign_ms.append((time.perf_counter() - started) * 1000)
            previous = signed.id
            started = time.perf_counter()
            async with db.reader() as s:
                assert (await protocols.verify_stored(s, HEAD, signed.id)).valid
            verify_ms.append((time.perf_counter() - started) * 1000)
        await db.dispose()
    for name, values in (("sign (transaction incl. outbox event)", sign_ms), ("verify stored", verify_ms)):
        values.sort()
        print(
            f"{name:40s} n={len(values)} p50={statistics.median(values):.1f} ms "
            f"p99={values[int(len(values) * 0.99) - 1]:.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocols", type=int, default=200)
    asyncio.run(main(parser.parse_args().protocols))
