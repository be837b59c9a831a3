"""Every string the caller journal and the director's pages show, in az, en and ru: the templates'
literals, the journal script's messages, and the labels of every code it shows."""

import re
from pathlib import Path

from hotline_common.i18n import Translator
from intake.callers.schemas import CALLBACK_WAYS, DANGER_FLAGS, JOURNAL_KINDS
from intake.director.pages import AUDIT_ACTIONS, JOURNAL_LABELS, JS_TEXT, journal_labels
from intake.pages.views import LOCALES

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "intake" / "pages" / "templates"
MINE = ("_journal_panel.html", "journal.html", "director_board.html", "director_audit.html", "director_staff.html")
LITERAL = re.compile(r"""_\(\s*"([^"]+)"\s*\)""")


def test_every_journal_and_director_string_is_translated():
    msgids = set(JS_TEXT.values())
    for name in MINE:
        msgids |= set(LITERAL.findall((TEMPLATES / name).read_text()))
    msgids |= {f"{prefix}:{code}" for prefix, codes in JOURNAL_LABELS.items() for code in codes}
    msgids |= {f"audit_action:{action}" for action in AUDIT_ACTIONS}
    assert {f"danger_flag:{c}" for c in DANGER_FLAGS} | {f"callback_way:{c}" for c in CALLBACK_WAYS} | {
        f"journal_kind:{c}" for c in JOURNAL_KINDS
    } <= msgids
    assert len(msgids) > 100
    assert Translator(LOCALES).missing(msgids) == {}


def test_labels_differ_by_language():
    translator = Translator(LOCALES)
    az, ru = journal_labels(translator, "az"), journal_labels(translator, "ru")
    assert az["danger_flag:never_call_back_on_this_number"] == "Bu nömrəyə heç vaxt geri zəng etməyin"
    assert ru["danger_flag:never_call_back_on_this_number"] == "Никогда не перезванивать на этот номер"
