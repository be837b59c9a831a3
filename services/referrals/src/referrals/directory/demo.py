"""Demo directory: services in Baku and a few regions, loaded once when LOAD_DEMO_DATA is set."""
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.db import utcnow
from referrals.directory.models import DirectoryService, Organisation

# Fixed ids so demo accounts (a partner user of an organisation) can point at them.
ORGANISATIONS = [
    ("0190a000-0000-7000-8000-000000000001", "Təmiz Dünya İctimai Birliyi", "ngo"),
    ("0190a000-0000-7000-8000-000000000002", "Psixoloji Dəstək Mərkəzi", "ngo"),
    ("0190a000-0000-7000-8000-000000000003", "Hüquqi Yardım Bürosu", "private_practice"),
    ("0190a000-0000-7000-8000-000000000004", "İnsan alveri qurbanları üçün sığınacaq", "state_body"),
    ("0190a000-0000-7000-8000-000000000005", "Gəncə Regional Tibb Mərkəzi", "state_body"),
    ("0190a000-0000-7000-8000-000000000006", "IOM Azerbaijan", "international"),
]

SERVICES = [
    # id suffix, org index, name, type, region, city, address, languages, phone, hours
    (1, 0, "Qadınlar üçün psixososial dəstək", "psychologist", "Baku", "Bakı", "Nizami küç. 10", "az,ru,en",
     "+994 12 000 00 01", "Mon-Fri 09:00-18:00"),
    (2, 1, "Böhran psixoloqu (telefonla)", "psychologist", "Baku", "Bakı", "Azadlıq pr. 50", "az,ru",
     "+994 12 000 00 02", "24/7"),
    (3, 2, "Pulsuz hüquqi məsləhət", "legal_aid", "Baku", "Bakı", "Füzuli küç. 3", "az,ru,en",
     "+994 12 000 00 03", "Mon-Sat 10:00-17:00"),
    (4, 3, "Müvəqqəti sığınacaq", "shelter", "Baku", "Bakı", "Ünvan məxfidir", "az,ru,en,tr",
     "+994 12 000 00 04", "24/7"),
    (5, 4, "Tibbi müayinə və yardım", "medical", "Ganja", "Gəncə", "Atatürk pr. 21", "az,ru",
     "+994 22 000 00 05", "Mon-Fri 08:00-20:00"),
    (6, 1, "Uşaqlar üçün psixoloq", "psychologist", "Ganja", "Gəncə", "Nizami küç. 4", "az",
     "+994 22 000 00 06", "Mon-Fri 09:00-17:00"),
    (7, 2, "Hüquqi yardım (region)", "legal_aid", "Sumgait", "Sumqayıt", "Sülh küç. 7", "az,ru",
     "+994 18 000 00 07", "Tue-Sat 10:00-16:00"),
    (8, 0, "Sosial yardım və reinteqrasiya", "social_assistance", "Lankaran", "Lənkəran", "H. Aslanov küç. 12",
     "az,ru,fa", "+994 25 000 00 08", "Mon-Fri 09:00-18:00"),
    (9, 5, "Könüllü qayıdış və reinteqrasiya", "return_reintegration", "Baku", "Bakı", "Xaqani küç. 1",
     "az,ru,en", "+994 12 000 00 09", "Mon-Fri 09:00-18:00"),
    (10, 4, "Təcili tibbi yardım", "medical", "Baku", "Bakı", "Səməd Vurğun küç. 30", "az,ru,en",
     "+994 12 000 00 10", "24/7"),
]


def service_id(n: int) -> str:
    return f"0190a000-0000-7000-9000-{n:012d}"


async def load_demo_directory(session: AsyncSession) -> bool:
    if (await session.scalar(select(func.count()).select_from(Organisation))) > 0:
        return False
    now = utcnow()
    for org_id, name, kind in ORGANISATIONS:
        session.add(Organisation(id=org_id, name=name, kind=kind, created_at=now))
    await session.flush()
    for n, org, name, kind, region, city, address, langs, phone, hours in SERVICES:
        session.add(DirectoryService(
            id=service_id(n), organisation_id=ORGANISATIONS[org][0], name=name, service_type=kind, region=region,
            city=city, address=address, languages=f",{langs},", phone=phone, opening_hours=hours, created_at=now,
        ))
    return True
