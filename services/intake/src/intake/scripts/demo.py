"""Demo advice scripts (the director replaces them in the UI): one line = one step of the script.

Phone numbers other than the hotline's own are deliberately not given here: the director adds
the verified embassy contacts."""

_HOTLINE = {
    "az": "Xaricdən də zəng edə bilərsiniz: Qaynar xətt (+994 12) 562-21-12, 24 saat, ödənişsiz.",
    "en": "You can call us from abroad too: hotline (+994 12) 562-21-12, 24 hours a day.",
    "ru": "Звонить можно и из-за границы: горячая линия (+994 12) 562-21-12, круглосуточно.",
}

_WORK = {
    "az": (
        "İşləmək üçün xaricə getməzdən əvvəl",
        [
            "Agentliyin lisenziyası olduğunu yoxlayın (Dövlət Miqrasiya Xidmətinin reyestri).",
            "Müqaviləni getməzdən əvvəl, başa düşdüyünüz dildə oxuyun; bir nüsxəsini özünüzdə saxlayın.",
            "İş vizası və ya iş icazəsi olmadan işə başlamayın; turist vizası işləmək hüququ vermir.",
            "Pasportun və bütün sənədlərin surətlərini çıxarın, birini ailənizdə qoyun.",
            "Pasportunuzu heç kimə, işəgötürənə də, saxlamaq üçün verməyin.",
            "Ünvanınızı, işəgötürənin adını və telefonunu yaxınlarınıza bildirin.",
        ],
    ),
    "en": (
        "Before going abroad to work",
        [
            "Check that the agency is licensed (State Migration Service register).",
            "Read the contract before leaving, in a language you understand; keep a copy with you.",
            "Do not start work without a work visa or permit; a tourist visa gives no right to work.",
            "Make copies of your passport and all documents; leave one set with your family.",
            "Never hand your passport to anyone to keep, not even the employer.",
            "Tell your family your address and the employer's name and phone number.",
        ],
    ),
    "ru": (
        "Перед отъездом на работу за границу",
        [
            "Проверьте лицензию агентства (реестр Государственной миграционной службы).",
            "Прочитайте договор до отъезда, на понятном вам языке; держите копию при себе.",
            "Не начинайте работать без рабочей визы или разрешения; туристическая виза не даёт права работать.",
            "Сделайте копии паспорта и всех документов; один комплект оставьте семье.",
            "Никому не отдавайте паспорт на хранение, даже работодателю.",
            "Сообщите близким адрес, имя и телефон работодателя.",
        ],
    ),
}

_COUNTRY = {
    "TR": {
        "az": (
            "Türkiyə",
            "Türkiyədə işləmək üçün iş icazəsi (çalışma izni) lazımdır; vizasız giriş işləmək hüququ vermir. "
            "Azərbaycanın Ankaradakı səfirliyi və İstanbuldakı baş konsulluğu kömək edə bilər.",
        ),
        "en": (
            "Turkey",
            "Working in Turkey needs a work permit (çalışma izni); visa-free entry gives no right to work. "
            "Azerbaijan's embassy in Ankara and consulate general in Istanbul can help.",
        ),
        "ru": (
            "Турция",
            "Для работы в Турции нужно разрешение на работу (çalışma izni); безвизовый въезд не даёт права работать. "
            "Помочь могут посольство Азербайджана в Анкаре и генконсульство в Стамбуле.",
        ),
    },
    "AE": {
        "az": (
            "BƏƏ",
            "BƏƏ-də işəgötürən iş icazəsi və rezident vizası açmalıdır; müqavilə rəsmi qeydiyyatdan keçməlidir. "
            "Azərbaycanın Əbu-Dabidəki səfirliyi və Dubaydakı baş konsulluğu kömək edə bilər.",
        ),
        "en": (
            "UAE",
            "In the UAE the employer must obtain the work permit and residence visa; the contract must be "
            "registered officially. Azerbaijan's embassy in Abu Dhabi and consulate general in Dubai can help.",
        ),
        "ru": (
            "ОАЭ",
            "В ОАЭ разрешение на работу и резидентскую визу оформляет работодатель; договор должен быть "
            "официально зарегистрирован. Помочь могут посольство Азербайджана в Абу-Даби и генконсульство в Дубае.",
        ),
    },
    "RU": {
        "az": (
            "Rusiya",
            "Rusiyada işləmək üçün patent və miqrasiya qeydiyyatı lazımdır; onları özünüz rəsmiləşdirin. "
            "Azərbaycanın Moskvadakı səfirliyi kömək edə bilər.",
        ),
        "en": (
            "Russia",
            "Working in Russia needs a work patent and migration registration; arrange them yourself. "
            "Azerbaijan's embassy in Moscow can help.",
        ),
        "ru": (
            "Россия",
            "Для работы в России нужны патент и миграционный учёт; оформляйте их сами. "
            "Помочь может посольство Азербайджана в Москве.",
        ),
    },
}

_OTHER = {
    "advice_study_abroad": {
        "az": (
            "Təhsil üçün xaricə getməzdən əvvəl",
            [
                "Təhsil müəssisəsinin akkreditasiyasını yoxlayın.",
                "Tələbə vizasının şərtlərini öyrənin: işləməyə icazə verirmi?",
                "Sənədlərin surətlərini ailənizdə qoyun.",
            ],
        ),
        "en": (
            "Before going abroad to study",
            [
                "Check that the school or university is accredited.",
                "Learn the student visa's conditions: may you work on it?",
                "Leave copies of your documents with your family.",
            ],
        ),
        "ru": (
            "Перед отъездом на учёбу",
            [
                "Проверьте аккредитацию учебного заведения.",
                "Узнайте условия студенческой визы: можно ли по ней работать?",
                "Оставьте копии документов семье.",
            ],
        ),
    },
    "advice_travel_abroad": {
        "az": (
            "Səyahətdən əvvəl",
            [
                "Tur agentliyinin lisenziyasını yoxlayın.",
                "Marşrutunuzu və otelinizi yaxınlarınıza bildirin.",
                "Pasportunuzu heç kimə verməyin.",
            ],
        ),
        "en": (
            "Before travelling",
            [
                "Check the travel agency's licence.",
                "Tell your family your route and hotel.",
                "Never hand over your passport.",
            ],
        ),
        "ru": (
            "Перед поездкой",
            ["Проверьте лицензию турагентства.", "Сообщите близким маршрут и отель.", "Никому не отдавайте паспорт."],
        ),
    },
    "advice_marriage_foreign": {
        "az": (
            "Əcnəbi ilə nikahdan əvvəl",
            [
                "Nikahın hər iki ölkədə qanuni qeydiyyatını yoxlayın.",
                "Həyat yoldaşınızın ölkəsində hüquqlarınızı öyrənin.",
                "Sənədlərinizin surətlərini və səfirliyin əlaqələrini saxlayın.",
            ],
        ),
        "en": (
            "Before marrying a foreign citizen",
            [
                "Check the marriage is lawfully registered in both countries.",
                "Learn your rights in your spouse's country.",
                "Keep copies of your documents and the embassy's contacts.",
            ],
        ),
        "ru": (
            "Перед браком с иностранцем",
            [
                "Проверьте законную регистрацию брака в обеих странах.",
                "Узнайте свои права в стране супруга.",
                "Храните копии документов и контакты посольства.",
            ],
        ),
    },
}


def _scripts() -> dict[tuple[str, str, str], tuple[str, str]]:
    scripts = {}
    for lang, (title, steps) in _WORK.items():
        scripts[("advice_work_abroad", "", lang)] = (title, "\n".join([*steps, _HOTLINE[lang]]))
        for country, texts in _COUNTRY.items():
            name, local = texts[lang]
            scripts[("advice_work_abroad", country, lang)] = (
                f"{title}: {name}",
                "\n".join([*steps, local, _HOTLINE[lang]]),
            )
    for purpose, by_lang in _OTHER.items():
        for lang, (title, steps) in by_lang.items():
            scripts[(purpose, "", lang)] = (title, "\n".join([*steps, _HOTLINE[lang]]))
    return scripts


DEMO_SCRIPTS = _scripts()
