"""The protocol for people: a PDF for the archive (Azerbaijani by default) drawn from the signed
document itself, so what is printed is exactly what was signed."""

from coordination.protocols.schemas import ProtocolOut
from hotline_common.i18n import Translator

QUORUM_RULE_TEXT = "Quorum: at least two thirds of the members take part (3 × present ≥ 2 × members)."
MAJORITY_RULE_TEXT = (
    "Simple majority of the votes cast decides: adopted when for > against; abstentions "
    "do not count. On a tie the side the head voted on wins. A tie the head did not break "
    "(head abstained or absent) or no votes cast: not adopted."
)


def pdf(protocol: ProtocolOut, translator: Translator, lang: str) -> bytes:
    def _(msgid: str) -> str:
        return translator.gettext(lang, msgid)

    # fpdf and fontTools (a second of imports) are loaded by the first PDF, not by every start.
    from hotline_common.pdf import PdfDocument

    doc = protocol.document
    meeting, quorum = doc["meeting"], doc["quorum"]
    head = doc["head"] or {}
    out = PdfDocument(
        _("Protocol of the Working Group meeting"),
        subtitle=f"{meeting['local_date']} · {meeting['quarter']} · {doc['protocol_id']}",
        footer=f"{_('Protocol')} {doc['protocol_id']}",
    )
    place = _("Online") if meeting["online"] and not meeting["place"] else meeting["place"]
    pairs = [
        (_("Date"), meeting["local_date"]),
        (_("Place"), place),
        (_("Quarter"), meeting["quarter"]),
        (_("Head"), f"{head.get('full_name', '')} — {head.get('body', '')}"),
    ]
    if doc["supersedes"]:
        pairs += [(_("Supersedes"), doc["supersedes"]), (_("Correction reason"), doc["correction_reason"] or "")]
    out.key_values(pairs)

    out.heading(_("Attendance"))
    out.table(
        [_("Member"), _("Body"), _("Presence")],
        [
            [
                a["full_name"],
                a["body"],
                _("presence:" + a["presence"]) + (f" ({a['replacement_name']})" if a["replacement_name"] else ""),
            ]
            for a in doc["attendance"]
        ],
        widths=[0.3, 0.45, 0.25],
    )
    out.heading(_("Quorum"), level=2)
    out.key_values(
        [
            (_("Members"), str(quorum["members"])),
            (_("Present"), str(quorum["present"])),
            (_("Needed"), str(quorum["needed"])),
            (_("Result"), _("Quorum reached") if quorum["has_quorum"] else _("No quorum")),
        ]
    )
    out.paragraph(_(QUORUM_RULE_TEXT))

    out.heading(_("Agenda"))
    for item in doc["agenda"]:
        out.paragraph(f"{item['number']}. {item['title']}")
    out.heading(_("Discussion notes"))
    out.paragraph(doc["notes"] or "—")

    out.heading(_("Proposals"))
    out.paragraph(_(MAJORITY_RULE_TEXT))
    if doc["proposals"]:
        out.table(
            [_("Item"), _("Proposal"), _("For"), _("Against"), _("Abstained"), _("Result")],
            [
                [
                    p["agenda_item"],
                    p["text"],
                    p["votes_for"],
                    p["votes_against"],
                    p["abstentions"],
                    _("outcome:" + p["outcome"]) + (f" ({_('decided by the head')})" if p["decided_by_head"] else ""),
                ]
                for p in doc["proposals"]
            ],
            widths=[0.1, 0.37, 0.1, 0.1, 0.11, 0.22],
        )
    for p in doc["proposals"]:
        if p["votes"]:
            out.heading(f"{_('Votes')}: {p['agenda_item']}. {p['text']}", level=2)
            out.table(
                [_("Member"), _("Vote")],
                [[v["full_name"] or v["member_id"], _("choice:" + v["choice"])] for v in p["votes"]],
                widths=[0.6, 0.4],
            )
    out.heading(_("Assignments"))
    if doc["assignments"]:
        out.table(
            [_("Item"), _("Assignment"), _("Owner"), _("Deadline")],
            [[a["agenda_item"], a["text"], a["owner"], a["deadline"]] for a in doc["assignments"]],
            widths=[0.1, 0.45, 0.28, 0.17],
        )
    else:
        out.paragraph("—")

    out.heading(_("Signature"))
    out.key_values(
        [
            (_("Signed by"), doc["signer"]["full_name"]),
            (_("Signed at"), doc["signer"]["signed_at"]),
            (_("Key"), doc["signer"]["key_id"]),
            (_("Digest (SHA-256)"), protocol.digest),
        ]
    )
    out.paragraph(
        _(
            "Ed25519 signature over the canonical serialisation; verify it on the protocol's page or "
            "with `coordination verify-protocol`."
        )
    )
    return out.output()
