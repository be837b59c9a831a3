"""Demo directory: organisations and services in Baku, Ganja, Sumgait, Lankaran, Shaki and Mingachevir,
loaded once when LOAD_DEMO_DATA is set. Ids are fixed: demo accounts (a partner user of an
organisation), tests and other services' demo data point at them."""
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline_common.db import utcnow
from referrals.directory.models import DirectoryService, Organisation
from referrals.directory.schemas import OrganisationIn, ServiceIn
from referrals.directory.service import apply_organisation, apply_service

# (id, name, kind, phone, email, website). The first six ids are referred to elsewhere: keep them.
ORGANISATIONS = [
    ("0190a000-0000-7000-8000-000000000001", "Təmiz Dünya İctimai Birliyi", "ngo", "+994 12 000 01 00",
     "info@temizdunya.example", "https://temizdunya.example"),
    ("0190a000-0000-7000-8000-000000000002", "Psixoloji Dəstək Mərkəzi", "ngo", "+994 12 000 02 00",
     "help@psixoloji.example", ""),
    ("0190a000-0000-7000-8000-000000000003", "Hüquqi Yardım Bürosu", "private_practice", "+994 12 000 03 00",
     "office@huquqi.example", ""),
    ("0190a000-0000-7000-8000-000000000004", "İnsan alveri qurbanları üçün sığınacaq", "state_body",
     "+994 12 000 04 00", "", ""),
    ("0190a000-0000-7000-8000-000000000005", "Gəncə Regional Tibb Mərkəzi", "state_body", "+994 22 000 05 00",
     "", "https://gencetibb.example"),
    ("0190a000-0000-7000-8000-000000000006", "IOM Azerbaijan", "international", "+994 12 000 06 00",
     "iombaku@iom.example", "https://azerbaijan.iom.example"),
    ("0190a000-0000-7000-8000-000000000007", "İnsan Alverinə Qarşı Mübarizə İdarəsi", "state_body", "152", "", ""),
    ("0190a000-0000-7000-8000-000000000008", "Sosial Xidmətlər Agentliyi", "state_body", "+994 12 000 08 00",
     "info@sosial.example", "https://sosial.example"),
    ("0190a000-0000-7000-8000-000000000009", "Dövlət Məşğulluq Agentliyi", "state_body", "+994 12 000 09 00",
     "", "https://mesgulluq.example"),
    ("0190a000-0000-7000-8000-00000000000a", "Özbəkistan Respublikasının Səfirliyi", "international",
     "+994 12 000 10 00", "consul@uzembassy.example", ""),
    ("0190a000-0000-7000-8000-00000000000b", "Uşaq Hüquqları Mərkəzi", "ngo", "+994 12 000 11 00",
     "usaq@huquq.example", ""),
    ("0190a000-0000-7000-8000-00000000000c", "Şəki Regional Hüquq Mərkəzi", "private_practice", "+994 24 000 12 00",
     "", ""),
    ("0190a000-0000-7000-8000-00000000000d", "Mingəçevir Qadın Resurs Mərkəzi", "ngo", "+994 24 000 13 00",
     "qadin@mingacevir.example", ""),
    ("0190a000-0000-7000-8000-00000000000e", "UNHCR Azerbaijan", "international", "+994 12 000 14 00",
     "azeba@unhcr.example", "https://unhcr.example/az"),
    ("0190a000-0000-7000-8000-00000000000f", "Peşə Təhsili Mərkəzi", "state_body", "+994 22 000 15 00", "", ""),
    ("0190a000-0000-7000-8000-000000000010", "Lənkəran Mərkəzi Xəstəxanası", "state_body", "+994 25 000 16 00",
     "", ""),
]

# Approximate centres; each service is offset a little.
CENTRES = {"Baku": (40.4093, 49.8671), "Ganja": (40.6828, 46.3606), "Sumgait": (40.5855, 49.6317),
           "Lankaran": (38.7543, 48.8506), "Shaki": (41.1919, 47.1706), "Mingachevir": (40.7703, 47.0496)}
CITIES = {"Baku": "Bakı", "Ganja": "Gəncə", "Sumgait": "Sumqayıt", "Lankaran": "Lənkəran", "Shaki": "Şəki",
          "Mingachevir": "Mingəçevir"}
ALL = "women men children foreigners"
WEEKDAYS = "mon-fri 09:00-18:00"

# (n, org index, name, type, region, address, languages, phone, hours, eligibility, shelter (capacity, free))
SERVICES = [
    (1, 0, "Qadınlar üçün psixososial dəstək", "psychologist", "Baku", "Nizami küç. 10", "az ru en",
     "+994 12 000 00 01", WEEKDAYS, "women foreigners", None),
    (2, 1, "Böhran psixoloqu (telefonla)", "psychologist", "Baku", "Azadlıq pr. 50", "az ru", "+994 12 000 00 02",
     "24/7", ALL, None),
    (3, 2, "Pulsuz hüquqi məsləhət", "legal_aid", "Baku", "Füzuli küç. 3", "az ru en", "+994 12 000 00 03",
     "mon-sat 10:00-17:00", ALL, None),
    (4, 3, "Müvəqqəti sığınacaq", "shelter", "Baku", "Ünvan məxfidir", "az ru en tr", "+994 12 000 00 04", "24/7",
     "women children foreigners", (20, 6)),
    (5, 4, "Tibbi müayinə və yardım", "medical", "Ganja", "Atatürk pr. 21", "az ru", "+994 22 000 00 05",
     "mon-fri 08:00-20:00", ALL, None),
    (6, 1, "Uşaqlar üçün psixoloq", "psychologist", "Ganja", "Nizami küç. 4", "az", "+994 22 000 00 06",
     "mon-fri 09:00-17:00", "children", None),
    (7, 2, "Hüquqi yardım (region)", "legal_aid", "Sumgait", "Sülh küç. 7", "az ru", "+994 18 000 00 07",
     "tue-sat 10:00-16:00", ALL, None),
    (8, 0, "Sosial yardım və reinteqrasiya", "social_assistance", "Lankaran", "H. Aslanov küç. 12", "az ru fa",
     "+994 25 000 00 08", WEEKDAYS, ALL, None),
    (9, 5, "Könüllü qayıdış və reinteqrasiya", "return_reintegration", "Baku", "Xaqani küç. 1", "az ru en",
     "+994 12 000 00 09", WEEKDAYS, ALL, None),
    (10, 4, "Təcili tibbi yardım", "medical", "Baku", "Səməd Vurğun küç. 30", "az ru en", "+994 12 000 00 10",
     "24/7", ALL, None),
    (11, 6, "İnsan alverinə qarşı polis qaynar xətti", "law_enforcement", "Baku", "Ş. Bədəlbəyli küç. 2",
     "az ru en", "152", "24/7", ALL, None),
    (12, 7, "Ailə və uşaqlar üçün sosial yardım", "social_assistance", "Sumgait", "Heydər Əliyev pr. 41",
     "az ru", "+994 18 000 00 12", "mon-fri 09:00-13:00,14:00-18:00", ALL, None),
    (13, 7, "Sosial yardım mərkəzi", "social_assistance", "Shaki", "M. Ə. Rəsulzadə küç. 5", "az",
     "+994 24 000 00 13", WEEKDAYS, ALL, None),
    (14, 7, "Sosial xidmətlər (Mingəçevir)", "social_assistance", "Mingachevir", "H. Əliyev pr. 20", "az ru",
     "+994 24 000 00 14", WEEKDAYS, ALL, None),
    (15, 7, "Uşaqların müdafiəsi xidməti", "child_protection", "Baku", "Təbriz küç. 9", "az ru",
     "+994 12 000 00 15", "mon-fri 09:00-18:00; sat 10:00-14:00", "children", None),
    (16, 8, "Məşğulluq və peşə məsləhəti", "employment", "Baku", "Salatın Əsgərova küç. 85", "az ru en",
     "+994 12 000 00 16", WEEKDAYS, "women men foreigners", None),
    (17, 8, "Məşğulluq mərkəzi (Gəncə)", "employment", "Ganja", "Cavadxan küç. 12", "az ru", "+994 22 000 00 17",
     WEEKDAYS, "women men", None),
    (18, 8, "Məşğulluq mərkəzi (Lənkəran)", "employment", "Lankaran", "Mirzə Fətəli küç. 3", "az",
     "+994 25 000 00 18", WEEKDAYS, "women men", None),
    (19, 9, "Konsulluq xidməti", "consular", "Baku", "Nizami küç. 120", "uz ru", "+994 12 000 00 19",
     "mon-fri 10:00-13:00", "women men children foreigners", None),
    (20, 10, "Uşaq hüquqları üzrə məsləhət", "child_protection", "Ganja", "Şah İsmayıl Xətai pr. 8", "az ru",
     "+994 22 000 00 20", "mon-fri 10:00-17:00", "children", None),
    (21, 11, "Hüquqi məsləhət (Şəki)", "legal_aid", "Shaki", "Axundov küç. 14", "az", "+994 24 000 00 21",
     "mon-fri 09:00-17:00", ALL, None),
    (22, 12, "Qadınlar üçün psixoloji dəstək", "psychologist", "Mingachevir", "Dostluq küç. 6", "az ru",
     "+994 24 000 00 22", "mon-sat 09:00-19:00", "women", None),
    (23, 12, "Qadınlar üçün yaşayış evi", "shelter", "Mingachevir", "Ünvan məxfidir", "az ru",
     "+994 24 000 00 23", "24/7", "women children", (8, 0)),
    (24, 13, "Qaçqınlar və əcnəbilər üçün hüquqi yardım", "legal_aid", "Baku", "Nobel pr. 25", "en ru ar",
     "+994 12 000 00 24", "mon-thu 09:00-17:00; fri 09:00-13:00", "foreigners", None),
    (25, 14, "Peşə təhsili kursları", "education", "Ganja", "Nizami küç. 60", "az ru", "+994 22 000 00 25",
     "mon-fri 09:00-17:00", "women men", None),
    (26, 14, "Peşə təhsili kursları (Sumqayıt)", "education", "Sumgait", "Sülh küç. 30", "az ru",
     "+994 18 000 00 26", "mon-fri 09:00-17:00", "women men", None),
    (27, 15, "Təcili yardım və tibbi müayinə", "medical", "Lankaran", "Hüseyn Cavid küç. 2", "az ru",
     "+994 25 000 00 27", "24/7", ALL, None),
    (28, 3, "Qadınlar və uşaqlar üçün yaşayış evi", "shelter", "Ganja", "Ünvan məxfidir", "az ru",
     "+994 22 000 00 28", "24/7", "women children foreigners", (12, 3)),
    (29, 0, "Reinteqrasiya proqramı (Şəki)", "return_reintegration", "Shaki", "Nizami küç. 22", "az ru",
     "+994 24 000 00 29", "tue-sat 10:00-16:00", ALL, None),
    (30, 1, "Psixoloq (Sumqayıt)", "psychologist", "Sumgait", "18-ci məhəllə", "az ru", "+994 18 000 00 30",
     "mon-fri 10:00-19:00; sat 10:00-14:00", ALL, None),
    (31, 5, "Qayıdış üzrə məsləhət (Gəncə)", "return_reintegration", "Ganja", "Atatürk pr. 40", "az ru en",
     "+994 22 000 00 31", "mon-wed 10:00-16:00", ALL, None),
    (32, 6, "Polis: insan alverinə qarşı şöbə (Lənkəran)", "law_enforcement", "Lankaran", "Azadlıq pr. 4",
     "az ru", "152", "24/7", ALL, None),
    (33, 0, "Ailə məsləhəti (Şəki, axşam)", "social_assistance", "Shaki", "Nizami küç. 22", "az",
     "+994 24 000 00 33", "mon-fri 18:00-22:00", ALL, None),
    (34, 0, "Sosial məsləhət (Lənkəran, gecə xətti)", "other", "Lankaran", "H. Aslanov küç. 12", "az ru",
     "+994 25 000 00 34", "daily 20:00-08:00", ALL, None),
]


def service_id(n: int) -> str:
    return f"0190a000-0000-7000-9000-{n:012d}"


async def load_demo_directory(session: AsyncSession) -> bool:
    if (await session.scalar(select(func.count()).select_from(Organisation)) or 0) > 0:
        return False
    now = utcnow()
    for org_id, name, kind, phone, email, website in ORGANISATIONS:
        org = Organisation(id=org_id, created_at=now, active=True)
        apply_organisation(org, OrganisationIn(name=name, kind=kind, phone=phone, email=email, website=website))
        session.add(org)
    await session.flush()
    for n, org_index, name, kind, region, address, langs, phone, hours, eligible, places in SERVICES:
        lat, lon = CENTRES[region]
        capacity, free = places or (None, None)
        data = ServiceIn(
            organisation_id=ORGANISATIONS[org_index][0], name=name, service_type=kind, region=region, city=CITIES[region],
            address=address, latitude=round(lat + (n % 7) * 0.003, 4), longitude=round(lon + (n % 5) * 0.003, 4),
            languages=langs.split(), phone=phone, opening_hours=hours, eligibility=eligible.split(),
            capacity=capacity, free_places=free,
        )
        entry = DirectoryService(id=service_id(n), created_at=now, active=True,
                                 free_places_updated_at=now if places else None)
        apply_service(entry, data)
        session.add(entry)
    return True
