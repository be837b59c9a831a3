"""Every msgid the portal and link pages show, with its az / en / ru text. `python -m
referrals.portal.messages` writes the Babel catalogs' entries for these (locales/*.po); the
translation test fails on a shown msgid without all three."""

from referrals.referral import lifecycle
from referrals.referral.schemas import SHAREABLE_FIELDS

# msgid: (az, en, ru)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "Partner portal": ("Tərəfdaş portalı", "Partner portal", "Портал партнёров"),
    "Referral from the 152 hotline": (
        "152 qaynar xəttindən göndəriş",
        "Referral from the 152 hotline",
        "Направление от горячей линии 152",
    ),
    "Language": ("Dil", "Language", "Язык"),
    "Sign in": ("Daxil ol", "Sign in", "Войти"),
    "Sign out": ("Çıxış", "Sign out", "Выйти"),
    "Username": ("İstifadəçi adı", "Username", "Имя пользователя"),
    "Password": ("Şifrə", "Password", "Пароль"),
    "Referrals to your organisation": (
        "Təşkilatınıza göndərişlər",
        "Referrals to your organisation",
        "Направления в вашу организацию",
    ),
    "No referrals yet.": ("Hələ göndəriş yoxdur.", "No referrals yet.", "Направлений пока нет."),
    "Reference": ("İstinad nömrəsi", "Reference", "Номер"),
    "Status": ("Status", "Status", "Статус"),
    "Urgency": ("Təcililik", "Urgency", "Срочность"),
    "Service": ("Xidmət", "Service", "Услуга"),
    "Acknowledge by": ("Təsdiq müddəti", "Acknowledge by", "Подтвердить до"),
    "Consent": ("Razılıq", "Consent", "Согласие"),
    "shared": ("paylaşılıb", "shared", "передано"),
    "no personal data": ("şəxsi məlumat yoxdur", "no personal data", "без персональных данных"),
    "All referrals": ("Bütün göndərişlər", "All referrals", "Все направления"),
    "Referral": ("Göndəriş", "Referral", "Направление"),
    "Need": ("Ehtiyac", "Need", "Потребность"),
    "Shared with consent": ("Razılıqla paylaşılan məlumat", "Shared with consent", "Передано с согласия"),
    "Purpose": ("Məqsəd", "Purpose", "Цель"),
    "Valid until": ("Qüvvədədir", "Valid until", "Действует до"),
    "The caller did not consent to share personal data with your organisation. Quote the reference number to the hotline.": (
        "Zəng edən şəxs təşkilatınızla şəxsi məlumat paylaşmağa razılıq verməyib. Qaynar xəttə istinad nömrəsini bildirin.",
        "The caller did not consent to share personal data with your organisation. Quote the reference number to the hotline.",
        "Абонент не дал согласия передавать персональные данные вашей организации. Сообщите горячей линии номер направления.",
    ),
    "The caller's consent was withdrawn or has expired: the personal data is no longer shared.": (
        "Zəng edən şəxsin razılığı geri götürülüb və ya müddəti bitib: şəxsi məlumat artıq paylaşılmır.",
        "The caller's consent was withdrawn or has expired: the personal data is no longer shared.",
        "Согласие абонента отозвано или истекло: персональные данные больше не передаются.",
    ),
    "Next step": ("Növbəti addım", "Next step", "Следующий шаг"),
    "Reason": ("Səbəb", "Reason", "Причина"),
    "Notes to the hotline": ("Qaynar xəttə qeydlər", "Notes to the hotline", "Заметки для горячей линии"),
    "New note": ("Yeni qeyd", "New note", "Новая заметка"),
    "Send note": ("Qeydi göndər", "Send note", "Отправить заметку"),
    "This page was sent to you by the 152 hotline. It works once: after you report the outcome it closes.": (
        "Bu səhifə sizə 152 qaynar xətti tərəfindən göndərilib. Birdəfəlikdir: nəticəni bildirdikdən sonra bağlanır.",
        "This page was sent to you by the 152 hotline. It works once: after you report the outcome it closes.",
        "Эту страницу вам отправила горячая линия 152. Она одноразовая: после сообщения о результате она закрывается.",
    ),
    "Report the outcome": ("Nəticəni bildirin", "Report the outcome", "Сообщите результат"),
    "Outcome": ("Nəticə", "Outcome", "Результат"),
    "Note to the hotline": ("Qaynar xəttə qeyd", "Note to the hotline", "Заметка для горячей линии"),
    "Send the outcome": ("Nəticəni göndər", "Send the outcome", "Отправить результат"),
    # Messages passed to _() from pages.py.
    "Wrong username or password": (
        "İstifadəçi adı və ya şifrə yanlışdır",
        "Wrong username or password",
        "Неверное имя пользователя или пароль",
    ),
    "Sign-in is not configured": ("Giriş qurulmayıb", "Sign-in is not configured", "Вход не настроен"),
    "Sign-in is not available now": (
        "Giriş hazırda mümkün deyil",
        "Sign-in is not available now",
        "Вход сейчас недоступен",
    ),
    "This portal is for partner organisations": (
        "Bu portal tərəfdaş təşkilatlar üçündür",
        "This portal is for partner organisations",
        "Этот портал для партнёрских организаций",
    ),
    "Referral not found": ("Göndəriş tapılmadı", "Referral not found", "Направление не найдено"),
    "This link cannot be used": (
        "Bu keçiddən istifadə etmək olmaz",
        "This link cannot be used",
        "Эту ссылку нельзя использовать",
    ),
    "It was already used, it expired, or it is not a link the hotline sent. Please contact the hotline.": (
        "Keçid artıq istifadə olunub, müddəti bitib və ya qaynar xətt tərəfindən göndərilməyib. Qaynar xəttlə əlaqə saxlayın.",
        "It was already used, it expired, or it is not a link the hotline sent. Please contact the hotline.",
        "Ссылка уже использована, истекла или не была отправлена горячей линией. Свяжитесь с горячей линией.",
    ),
    "Thank you: the outcome was sent to the hotline": (
        "Təşəkkür edirik: nəticə qaynar xəttə göndərildi",
        "Thank you: the outcome was sent to the hotline",
        "Спасибо: результат отправлен на горячую линию",
    ),
    # Codes shown through _("prefix:" ~ code).
    "status:draft": ("qaralama", "draft", "черновик"),
    "status:sent": ("göndərilib", "sent", "отправлено"),
    "status:acknowledged": ("alındı", "acknowledged", "получено"),
    "status:accepted": ("qəbul edildi", "accepted", "принято"),
    "status:declined": ("rədd edildi", "declined", "отклонено"),
    "status:in_progress": ("icra olunur", "in progress", "в работе"),
    "status:completed": ("tamamlandı", "completed", "завершено"),
    "status:closed_unreachable": ("bağlandı: əlaqə alınmadı", "closed: unreachable", "закрыто: нет связи"),
    "status:withdrawn": ("geri götürüldü", "withdrawn", "отозвано"),
    "action:acknowledged": ("Alındığını təsdiq et", "Acknowledge receipt", "Подтвердить получение"),
    "action:accepted": ("Qəbul et", "Accept", "Принять"),
    "action:declined": ("Rədd et", "Decline", "Отклонить"),
    "action:in_progress": ("İşə başla", "Start work", "Начать работу"),
    "action:completed": ("Tamamla", "Complete", "Завершить"),
    "action:closed_unreachable": ("Bağla: əlaqə alınmadı", "Close: unreachable", "Закрыть: нет связи"),
    "action:withdrawn": ("Geri götür", "Withdraw", "Отозвать"),
    "action:sent": ("Göndər", "Send", "Отправить"),
    "urgency:routine": ("adi", "routine", "обычная"),
    "urgency:urgent": ("təcili", "urgent", "срочная"),
    "urgency:emergency": ("fövqəladə", "emergency", "экстренная"),
    "reason:no_capacity": ("yer/imkan yoxdur", "no capacity", "нет возможности"),
    "reason:not_eligible": ("şərtlərə uyğun deyil", "not eligible", "не подходит по условиям"),
    "reason:outside_area": ("xidmət ərazisindən kənar", "outside our area", "вне зоны обслуживания"),
    "reason:service_unavailable": ("xidmət mövcud deyil", "service unavailable", "услуга недоступна"),
    "reason:caller_refused": ("şəxs imtina etdi", "the person refused", "человек отказался"),
    "reason:other": ("digər", "other", "другое"),
    "reason:caller_withdrew": ("şəxs fikrindən daşındı", "the caller withdrew", "абонент отказался"),
    "reason:referred_elsewhere": ("başqa yerə yönləndirildi", "referred elsewhere", "направлен в другое место"),
    "reason:created_in_error": ("səhvən yaradılıb", "created in error", "создано по ошибке"),
    "reason:no_answer": ("cavab vermir", "no answer", "не отвечает"),
    "reason:wrong_number": ("nömrə yanlışdır", "wrong number", "неверный номер"),
    "reason:moved_away": ("köçüb", "moved away", "переехал(а)"),
    "field:name": ("Ad", "Name", "Имя"),
    "field:phone": ("Telefon", "Phone", "Телефон"),
    "field:age_group": ("Yaş qrupu", "Age group", "Возрастная группа"),
    "field:sex": ("Cins", "Sex", "Пол"),
    "field:language": ("Dil", "Language", "Язык"),
    "field:nationality": ("Vətəndaşlıq", "Nationality", "Гражданство"),
    "field:situation": ("Vəziyyət", "Situation", "Ситуация"),
    "author:partner": ("tərəfdaş", "partner", "партнёр"),
    "author:hotline": ("qaynar xətt", "hotline", "горячая линия"),
    "author:link": ("mütəxəssis (keçid)", "specialist (link)", "специалист (ссылка)"),
    # Service types: their labels are the directory's (referrals.directory.messages), one catalog entry each.
}

CODE_PREFIXES = {
    "status": lifecycle.STATUSES,
    "field": SHAREABLE_FIELDS,
    "author": ("partner", "hotline", "link"),
    "reason": sorted({c for codes in lifecycle.REASONS.values() for c in codes}),
    "action": [to for (_frm, to) in lifecycle.TRANSITIONS],
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def po_entries(lang: str) -> str:
    index = {"az": 0, "en": 1, "ru": 2}[lang]
    return "".join(f'\nmsgid "{_escape(k)}"\nmsgstr "{_escape(v[index])}"\n' for k, v in MESSAGES.items())


if __name__ == "__main__":  # prints the entries for one language: python -m referrals.portal.messages az
    import sys

    print(po_entries(sys.argv[1]))
