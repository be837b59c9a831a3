"""Every string the partner portal and the one-time link pages show has az, en and ru: the templates'
texts, the messages of the portal's, the links' and the referral rules' sources (what a refused step
is refused for), and the codes shown through `_("prefix:" ~ code)`."""

import pytest

from hotline_common.errors import DomainError, InvalidInput
from referrals.directory.schemas import SERVICE_TYPES
from referrals.i18n import SOURCES, extracted, translator
from referrals.referral import lifecycle
from referrals.referral.schemas import SHAREABLE_FIELDS

FOLDERS = [SOURCES / "portal", SOURCES / "links", SOURCES / "referral"]
SHOWN_CODES = {
    "status": lifecycle.STATUSES,
    "urgency": ("routine", "urgent", "emergency"),
    "service_type": SERVICE_TYPES,
    "field": SHAREABLE_FIELDS,
    "author": ("partner", "hotline", "link"),
    "reason": sorted({c for codes in lifecycle.REASONS.values() for c in codes}),
    "action": [to for (_frm, to) in lifecycle.TRANSITIONS],
}


def shown_msgids() -> set[str]:
    codes = {f"{prefix}:{code}" for prefix, values in SHOWN_CODES.items() for code in values}
    return extracted(FOLDERS) | codes


def test_every_shown_string_is_translated_in_every_language():
    msgids = shown_msgids()
    assert len(msgids) > 80
    assert {"This portal is for partner organisations", "Referral from the 152 hotline"} <= msgids
    assert "a referral cannot move from {current} to {target}" in msgids, "the rules' errors are found"
    assert translator().missing(msgids) == {}


@pytest.mark.parametrize(
    ("current", "target", "actor", "reason"),
    [
        ("sent", "completed", lifecycle.PARTNER, None),  # not in the table
        ("sent", "withdrawn", lifecycle.PARTNER, None),  # the hotline's move
        ("acknowledged", "declined", lifecycle.PARTNER, None),  # needs a reason
        ("acknowledged", "declined", lifecycle.PARTNER, "bored"),  # not a reason for it
        ("acknowledged", "accepted", lifecycle.PARTNER, "no_capacity"),  # takes none
        ("sent", "lost", lifecycle.PARTNER, None),  # no such status
    ],
)
def test_a_refused_move_reads_in_the_page_language(current, target, actor, reason):
    t = translator()
    with pytest.raises(DomainError) as refused:
        lifecycle.check(current, target, actor, reason)
    error = refused.value
    shown = error.problems if isinstance(error, InvalidInput) else [error]
    for item in shown:
        template, params = (item.template, item.params)
        assert t.format("en", template, params) in error.message, "English is what the API says"
        for lang in ("az", "ru"):
            text = t.format(lang, template, params)
            assert text not in error.message and "{" not in text, (lang, text)


def test_azerbaijani_is_the_default_and_codes_read_as_words():
    t = translator()
    assert t.pick(None) == "az"
    assert t.gettext("az", "Partner portal") == "Tərəfdaş portalı"
    assert t.gettext("ru", "Referral from the 152 hotline") == "Направление от горячей линии 152"
    assert t.gettext("en", "action:acknowledged") == "Acknowledge receipt"
    assert t.gettext("az", "reason:no_capacity") == "yer/imkan yoxdur"
