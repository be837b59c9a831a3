from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coordination.members.models import Member
from coordination.members.schemas import MemberOut
from hotline_common.auth import Permission, Principal, require
from hotline_common.db import new_id, utcnow

# A demo Working Group: NAP executing bodies and specialised NGOs; the head leads the anti-trafficking department.
DEMO_MEMBERS = [
    ("Rəşad Məmmədov", "Daxili İşlər Nazirliyi, İnsan alverinə qarşı mübarizə baş idarəsi", "executing_body", True),
    ("Günel Əliyeva", "Əmək və Əhalinin Sosial Müdafiəsi Nazirliyi", "executing_body", False),
    ("Elçin Həsənov", "Xarici İşlər Nazirliyi", "executing_body", False),
    ("Nərmin Quliyeva", "Səhiyyə Nazirliyi", "executing_body", False),
    ("Tural İsmayılov", "Elm və Təhsil Nazirliyi", "executing_body", False),
    ("Səbinə Kərimova", "Ailə, Qadın və Uşaq Problemləri üzrə Dövlət Komitəsi", "executing_body", False),
    ("Aysel Rzayeva", "Təmiz Dünya İctimai Birliyi", "ngo", False),
    ("Orxan Babayev", "Dövlət Miqrasiya Xidməti", "executing_body", False),
    ("Lalə Nəsirova", "Psixoloji Dəstək Mərkəzi", "ngo", False),
]


async def list_members(session: AsyncSession, principal: Principal) -> list[MemberOut]:
    require(principal, Permission.WG_READ)
    rows = (await session.scalars(select(Member).order_by(Member.is_head.desc(), Member.full_name))).all()
    return [MemberOut.model_validate(m, from_attributes=True) for m in rows]


async def load_demo_members(session: AsyncSession) -> bool:
    if (await session.scalar(select(func.count()).select_from(Member))) > 0:
        return False
    for full_name, body, kind, is_head in DEMO_MEMBERS:
        session.add(Member(id=new_id(), full_name=full_name, body=body, body_kind=kind, is_head=is_head,
                           approved_at=utcnow()))
    return True
