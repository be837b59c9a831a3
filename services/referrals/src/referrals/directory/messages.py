"""Every msgid the directory pages show, with its az / en / ru text. `python -m
referrals.directory.messages az` prints the .po entries of those not yet in locales/az.po; the
translation test (tests/test_directory_translations.py) fails on a shown msgid without all three."""

from hotline_common.resources import package_dir

LOCALES = package_dir("referrals", "locales")

# msgid: (az, en, ru)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "Directory of services": ("Xidmətlər kataloqu", "Directory of services", "Справочник служб"),
    "Language": ("Dil", "Language", "Язык"),
    "Sign in": ("Daxil ol", "Sign in", "Войти"),
    "Sign out": ("Çıxış", "Sign out", "Выйти"),
    "Username": ("İstifadəçi adı", "Username", "Имя пользователя"),
    "Password": ("Şifrə", "Password", "Пароль"),
    "Saved": ("Yadda saxlanıldı", "Saved", "Сохранено"),
    "Save": ("Yadda saxla", "Save", "Сохранить"),
    "New organisation": ("Yeni təşkilat", "New organisation", "Новая организация"),
    "New service": ("Yeni xidmət", "New service", "Новая служба"),
    "Shelters: free places": ("Sığınacaqlar: boş yerlər", "Shelters: free places", "Приюты: свободные места"),
    "Import CSV": ("CSV idxalı", "Import CSV", "Импорт CSV"),
    "Export CSV": ("CSV ixracı", "Export CSV", "Экспорт CSV"),
    "deactivated": ("deaktiv edilib", "deactivated", "деактивировано"),
    "Service": ("Xidmət", "Service", "Услуга"),
    "Services": ("Xidmətlər", "Services", "Службы"),
    "Type": ("Növ", "Type", "Тип"),
    "Kind": ("Təşkilatın növü", "Kind", "Вид организации"),
    "Region": ("Region", "Region", "Регион"),
    "City": ("Şəhər", "City", "Город"),
    "Address": ("Ünvan", "Address", "Адрес"),
    "Latitude": ("En dairəsi", "Latitude", "Широта"),
    "Longitude": ("Uzunluq dairəsi", "Longitude", "Долгота"),
    "Phone": ("Telefon", "Phone", "Телефон"),
    "E-mail": ("E-poçt", "E-mail", "Эл. почта"),
    "Website": ("Veb-sayt", "Website", "Веб-сайт"),
    "Name": ("Ad", "Name", "Название"),
    "Organisation": ("Təşkilat", "Organisation", "Организация"),
    "Opening hours": ("İş saatları", "Opening hours", "Часы работы"),
    "Languages": ("Dillər", "Languages", "Языки"),
    "Free places": ("Boş yerlər", "Free places", "Свободные места"),
    "Capacity": ("Tutum", "Capacity", "Вместимость"),
    "open now": ("indi açıqdır", "open now", "сейчас открыто"),
    "Add a service": ("Xidmət əlavə et", "Add a service", "Добавить службу"),
    "History of changes": ("Dəyişikliklərin tarixçəsi", "History of changes", "История изменений"),
    "No changes yet.": ("Hələ dəyişiklik yoxdur.", "No changes yet.", "Изменений пока нет."),
    "Please correct the marked fields.": (
        "Qeyd olunmuş sahələri düzəldin.",
        "Please correct the marked fields.",
        "Исправьте отмеченные поля.",
    ),
    "Who is eligible": ("Kimlər üçündür", "Who is eligible", "Для кого"),
    "Opening hours (Baku time; empty = closed; e.g. 09:00-13:00, 14:00-18:00)": (
        "İş saatları (Bakı vaxtı; boş = bağlıdır; məs. 09:00-13:00, 14:00-18:00)",
        "Opening hours (Baku time; empty = closed; e.g. 09:00-13:00, 14:00-18:00)",
        "Часы работы (время Баку; пусто = закрыто; напр. 09:00-13:00, 14:00-18:00)",
    ),
    "Shelters only": ("Yalnız sığınacaqlar üçün", "Shelters only", "Только для приютов"),
    "Deactivate": ("Deaktiv et", "Deactivate", "Деактивировать"),
    "Reactivate": ("Yenidən aktiv et", "Reactivate", "Снова активировать"),
    "One row per service. Rows with ids update those entries, rows without ids add new ones. A file with any bad row imports nothing.": (
        "Hər xidmət üçün bir sətir. İd-si olan sətirlər həmin qeydləri yeniləyir, id-si olmayanlar yenilərini əlavə edir. "
        "Səhv sətri olan fayldan heç nə idxal edilmir.",
        "One row per service. Rows with ids update those entries, rows without ids add new ones. A file with any bad row imports nothing.",
        "Одна строка на службу. Строки с id обновляют эти записи, строки без id добавляют новые. "
        "Из файла с ошибочной строкой ничего не импортируется.",
    ),
    "CSV file (UTF-8)": ("CSV faylı (UTF-8)", "CSV file (UTF-8)", "CSV-файл (UTF-8)"),
    "Import": ("İdxal et", "Import", "Импортировать"),
    "Nothing was imported. Correct these rows and import the file again.": (
        "Heç nə idxal edilmədi. Bu sətirləri düzəldin və faylı yenidən idxal edin.",
        "Nothing was imported. Correct these rows and import the file again.",
        "Ничего не импортировано. Исправьте эти строки и импортируйте файл снова.",
    ),
    "Line": ("Sətir", "Line", "Строка"),
    "Column": ("Sütun", "Column", "Столбец"),
    "Problem": ("Problem", "Problem", "Проблема"),
    "Imported": ("İdxal edildi", "Imported", "Импортировано"),
    "organisations created": ("yaradılan təşkilatlar", "organisations created", "создано организаций"),
    "services created": ("yaradılan xidmətlər", "services created", "создано служб"),
    "updated": ("yenilənib", "updated", "обновлено"),
    "Find": ("Tap", "Find", "Найти"),
    "Nothing found.": ("Heç nə tapılmadı.", "Nothing found.", "Ничего не найдено."),
    "No shelters.": ("Sığınacaq yoxdur.", "No shelters.", "Приютов нет."),
    "Shelter": ("Sığınacaq", "Shelter", "Приют"),
    "Updated": ("Yenilənib", "Updated", "Обновлено"),
    # Passed to _() from pages.py.
    "Only the directory's keepers may open this page": (
        "Bu səhifəni yalnız kataloqu aparan şəxslər aça bilər",
        "Only the directory's keepers may open this page",
        "Эту страницу могут открыть только те, кто ведёт справочник",
    ),
    "Not found": ("Tapılmadı", "Not found", "Не найдено"),
    "Sign-in is not configured": ("Giriş qurulmayıb", "Sign-in is not configured", "Вход не настроен"),
    "Sign-in is not available now": (
        "Giriş hazırda mümkün deyil",
        "Sign-in is not available now",
        "Вход сейчас недоступен",
    ),
    "Wrong username or password": (
        "İstifadəçi adı və ya şifrə yanlışdır",
        "Wrong username or password",
        "Неверное имя пользователя или пароль",
    ),
    # Codes shown through _("prefix:" ~ code).
    "service_type:psychologist": ("psixoloq", "psychologist", "психолог"),
    "service_type:legal_aid": ("hüquqi yardım", "legal aid", "юридическая помощь"),
    "service_type:medical": ("tibbi yardım", "medical", "медицинская помощь"),
    "service_type:shelter": ("sığınacaq", "shelter", "приют"),
    "service_type:social_assistance": ("sosial yardım", "social assistance", "социальная помощь"),
    "service_type:employment": ("məşğulluq", "employment", "трудоустройство"),
    "service_type:education": ("təhsil", "education", "образование"),
    "service_type:return_reintegration": (
        "qayıdış və reinteqrasiya",
        "return and reintegration",
        "возвращение и реинтеграция",
    ),
    "service_type:law_enforcement": ("hüquq-mühafizə", "law enforcement", "правоохранительные органы"),
    "service_type:consular": ("konsulluq / səfirlik", "consular / embassy", "консульство / посольство"),
    "service_type:child_protection": ("uşaqların müdafiəsi", "child protection", "защита детей"),
    "service_type:other": ("digər", "other", "другое"),
    "kind:state_body": ("dövlət orqanı", "state body", "государственный орган"),
    "kind:ngo": ("QHT", "NGO", "НКО"),
    "kind:international": ("beynəlxalq təşkilat", "international organisation", "международная организация"),
    "kind:private_practice": ("özəl praktika", "private practice", "частная практика"),
    "eligibility:women": ("qadınlar", "women", "женщины"),
    "eligibility:men": ("kişilər", "men", "мужчины"),
    "eligibility:children": ("uşaqlar", "children", "дети"),
    "eligibility:foreigners": ("əcnəbilər", "foreigners", "иностранцы"),
    "language:az": ("azərbaycan", "Azerbaijani", "азербайджанский"),
    "language:en": ("ingilis", "English", "английский"),
    "language:ru": ("rus", "Russian", "русский"),
    "language:tr": ("türk", "Turkish", "турецкий"),
    "language:fa": ("fars", "Persian", "персидский"),
    "language:ka": ("gürcü", "Georgian", "грузинский"),
    "language:uk": ("ukrayna", "Ukrainian", "украинский"),
    "language:uz": ("özbək", "Uzbek", "узбекский"),
    "language:tk": ("türkmən", "Turkmen", "туркменский"),
    "language:ar": ("ərəb", "Arabic", "арабский"),
    "language:zh": ("çin", "Chinese", "китайский"),
    "language:hi": ("hindi", "Hindi", "хинди"),
    "language:ur": ("urdu", "Urdu", "урду"),
    "language:other": ("digər", "other", "другой"),
    "day:mon": ("B.e.", "Mon", "Пн"),
    "day:tue": ("Ç.a.", "Tue", "Вт"),
    "day:wed": ("Ç.", "Wed", "Ср"),
    "day:thu": ("C.a.", "Thu", "Чт"),
    "day:fri": ("C.", "Fri", "Пт"),
    "day:sat": ("Ş.", "Sat", "Сб"),
    "day:sun": ("B.", "Sun", "Вс"),
    "change:created": ("yaradıldı", "created", "создано"),
    "change:updated": ("dəyişdirildi", "updated", "изменено"),
    "change:deactivated": ("deaktiv edildi", "deactivated", "деактивировано"),
    "change:reactivated": ("yenidən aktiv edildi", "reactivated", "снова активировано"),
    "change:free_places": ("boş yerlər yeniləndi", "free places updated", "обновлены свободные места"),
    "change:imported": ("CSV-dən idxal edildi", "imported from CSV", "импортировано из CSV"),
    "dirfield:organisation_id": ("təşkilat", "organisation", "организация"),
    "dirfield:name": ("ad", "name", "название"),
    "dirfield:kind": ("növ", "kind", "вид"),
    "dirfield:service_type": ("xidmətin növü", "service type", "тип службы"),
    "dirfield:region": ("region", "region", "регион"),
    "dirfield:city": ("şəhər", "city", "город"),
    "dirfield:address": ("ünvan", "address", "адрес"),
    "dirfield:latitude": ("en dairəsi", "latitude", "широта"),
    "dirfield:longitude": ("uzunluq dairəsi", "longitude", "долгота"),
    "dirfield:languages": ("dillər", "languages", "языки"),
    "dirfield:phone": ("telefon", "phone", "телефон"),
    "dirfield:email": ("e-poçt", "e-mail", "эл. почта"),
    "dirfield:website": ("veb-sayt", "website", "веб-сайт"),
    "dirfield:opening_hours": ("iş saatları", "opening hours", "часы работы"),
    "dirfield:eligibility": ("kimlər üçün", "eligibility", "для кого"),
    "dirfield:capacity": ("tutum", "capacity", "вместимость"),
    "dirfield:free_places": ("boş yerlər", "free places", "свободные места"),
    "dirfield:active": ("aktiv", "active", "активно"),
}

# The keepers' directory is shown 50 entries a page.
PAGING_MESSAGES: dict[str, tuple[str, str, str]] = {
    "Pages": ("Səhifələr", "Pages", "Страницы"),
    "Page": ("Səhifə", "Page", "Страница"),
    "Previous page": ("Əvvəlki səhifə", "Previous page", "Предыдущая страница"),
    "Next page": ("Növbəti səhifə", "Next page", "Следующая страница"),
    "No such page": ("Belə səhifə yoxdur", "No such page", "Такой страницы нет"),
}
MESSAGES.update(PAGING_MESSAGES)

# Field problems (reasons.py): the hours parser's templates, with their placeholders, and fixed reasons.
REASON_MESSAGES: dict[str, tuple[str, str, str]] = {
    "reason:hours_not_a_time": (
        "{value} günün vaxtı deyil",
        "{value} is not a time of day",
        "{value} — не время суток",
    ),
    "reason:hours_unknown_day": (
        "naməlum gün {value}: {days} və ya daily yazın",
        "unknown day {value}: use {days} or daily",
        "неизвестный день {value}: используйте {days} или daily",
    ),
    "reason:hours_not_a_clause": (
        "{value} 'mon-fri 09:00-18:00' formasında deyil",
        "{value} is not like 'mon-fri 09:00-18:00'",
        "{value} не в виде 'mon-fri 09:00-18:00'",
    ),
    "reason:hours_not_a_span": (
        "{value} 09:00-18:00 formasında deyil",
        "{value} is not like 09:00-18:00",
        "{value} не в виде 09:00-18:00",
    ),
    "reason:hours_empty_span": (
        "{value}: açılış və bağlanış vaxtı eynidir",
        "{value} opens and closes at the same time",
        "{value}: время открытия и закрытия совпадает",
    ),
    "reason:blank": ("boş ola bilməz", "must not be blank", "не может быть пустым"),
    "reason:phone": (
        "yalnız rəqəmlər, boşluq, + ( ) -",
        "digits, spaces, + ( ) - only",
        "только цифры, пробелы, + ( ) -",
    ),
    "reason:email": ("e-poçt ünvanı deyil", "not an e-mail address", "это не адрес эл. почты"),
    "reason:website": (
        "http:// və ya https:// ilə başlamalıdır",
        "must start with http:// or https://",
        "должен начинаться с http:// или https://",
    ),
    "reason:coordinates": (
        "həm en, həm uzunluq dairəsini verin, ya da heç birini",
        "give both latitude and longitude, or neither",
        "укажите и широту, и долготу, или ни одну",
    ),
    "reason:places_only_shelters": (
        "yerlər yalnız sığınacaqlarda olur",
        "only shelters have places",
        "места бывают только у приютов",
    ),
    "reason:places_over_capacity": ("tutumdan çoxdur", "more than the capacity", "больше вместимости"),
    "reason:whole_number": ("tam ədəd, 0 və ya daha çox", "a whole number, 0 or more", "целое число, 0 или больше"),
    "reason:required": ("mütləqdir", "Field required", "обязательное поле"),
}
MESSAGES.update(REASON_MESSAGES)

# Roles appear in the history ("role:" ~ code); the portal's catalog may hold them already.
ROLE_MESSAGES: dict[str, tuple[str, str, str]] = {
    "role:operator": ("operator", "operator", "оператор"),
    "role:director": ("direktor", "director", "директор"),
    "role:partner": ("tərəfdaş", "partner", "партнёр"),
    "role:coordinator": ("koordinator", "coordinator", "координатор"),
    "role:wg_member": ("İşçi qrupunun üzvü", "Working Group member", "член рабочей группы"),
    "role:analyst": ("analitik", "analyst", "аналитик"),
    "role:admin": ("administrator", "administrator", "администратор"),
}
MESSAGES.update(ROLE_MESSAGES)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def missing_entries(lang: str) -> str:
    """The .po entries for msgids the catalog does not have yet (appended, never rewritten)."""
    index = {"az": 0, "en": 1, "ru": 2}[lang]
    present = (LOCALES / f"{lang}.po").read_text(encoding="utf-8")
    return "".join(
        f'\nmsgid "{_escape(k)}"\nmsgstr "{_escape(v[index])}"\n'
        for k, v in MESSAGES.items()
        if f'\nmsgid "{_escape(k)}"\n' not in present
    )


if __name__ == "__main__":
    import sys

    print(missing_entries(sys.argv[1]), end="")
