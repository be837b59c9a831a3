"""Every string the pages and the PDF show has az, en and ru translations."""

import re
from pathlib import Path

from coordination.exchange.models import CONFIDENTIALITY, KINDS
from coordination.meetings.models import AGREED, CLOSED, HELD, PROPOSED
from coordination.meetings.rules import Choice, Presence
from coordination.nap.models import STATUSES
from coordination.protocols.render import MAJORITY_RULE_TEXT, QUORUM_RULE_TEXT
from hotline_common.i18n import Translator

SRC = Path(__file__).resolve().parents[1] / "src" / "coordination"
LITERAL = re.compile(r'_\("((?:[^"\\]|\\.)+)"\)')


def shown_msgids() -> set[str]:
    msgids = set()
    for path in [*(SRC / "pages" / "templates").glob("*.html"), SRC / "protocols" / "render.py"]:
        msgids |= set(LITERAL.findall(path.read_text()))
    codes = {
        "presence": [p.value for p in Presence],
        "choice": [c.value for c in Choice],
        "status": [PROPOSED, AGREED, HELD, CLOSED],
        "outcome": ["adopted", "not_adopted", "undecided"],
        "office": ["head", "secretary", "coordinator"],
        "nap": list(STATUSES),
        "kind": [*KINDS, "executing_body", "ngo"],
        "conf": list(CONFIDENTIALITY),
    }
    msgids |= {f"{prefix}:{code}" for prefix, values in codes.items() for code in values}
    msgids |= {QUORUM_RULE_TEXT, MAJORITY_RULE_TEXT}
    return msgids


def test_every_shown_string_is_translated_in_every_language():
    translator = Translator(SRC / "locales")
    msgids = shown_msgids()
    assert len(msgids) > 150
    assert translator.missing(msgids) == {}


def test_azerbaijani_is_the_default():
    translator = Translator(SRC / "locales")
    assert translator.gettext(Translator.pick(None), "Sign the protocol") == "Protokolu imzala"
