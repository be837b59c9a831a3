"""Every string the pages and the PDF show has az, en and ru translations: the templates' texts,
the code labels, and every message a page shows (the services' refusals, written as templates with
parameters, and pydantic's messages for the pages' forms)."""

import ast
import re
from pathlib import Path

from coordination.exchange.models import CONFIDENTIALITY, KINDS
from coordination.meetings.models import AGREED, CLOSED, HELD, PROPOSED
from coordination.meetings.rules import Choice, Presence
from coordination.protocols.render import MAJORITY_RULE_TEXT, QUORUM_RULE_TEXT
from hotline_common.i18n import LANGUAGES, Translator

SRC = Path(__file__).resolve().parents[1] / "src" / "coordination"
LITERAL = re.compile(r'_\("((?:[^"\\]|\\.)+)"[,)]')
# The errors pages explain, and where each takes its message: a template, never an f-string.
ERRORS = {"NotFound": 0, "Conflict": 0, "PermissionDenied": 0, "DependencyUnavailable": 0, "SheetError": 0}
ERRORS |= {"single": 1, "FieldProblem": 1, "LineProblem": 1, "_on_line": 2, "verdict": 1}


def sources() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def code_labels() -> set[str]:
    codes = {
        "presence": [p.value for p in Presence],
        "choice": [c.value for c in Choice],
        "status": [PROPOSED, AGREED, HELD, CLOSED],
        "outcome": ["adopted", "not_adopted", "undecided"],
        "office": ["head", "secretary"],
        "kind": [*KINDS, "executing_body", "ngo"],
        "conf": list(CONFIDENTIALITY),
    }
    return {f"{prefix}:{code}" for prefix, values in codes.items() for code in values}


def marked_messages() -> set[str]:
    """Every `N_("...")` in coordination's code: the messages its pages may show."""
    found = set()
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
                found.add(node.args[0].value)
    return found


def shown_msgids() -> set[str]:
    msgids = set()
    for path in [*(SRC / "pages" / "templates").glob("*.html"), SRC / "protocols" / "render.py"]:
        msgids |= set(LITERAL.findall(path.read_text()))
    return msgids | code_labels() | marked_messages() | {QUORUM_RULE_TEXT, MAJORITY_RULE_TEXT}


def test_every_shown_string_is_translated_in_every_language():
    translator = Translator(SRC / "locales")
    msgids = shown_msgids()
    assert len(msgids) > 250
    assert translator.missing(msgids) == {}


def test_code_labels_are_words_in_every_language():
    translator = Translator(SRC / "locales")
    raw = {lang: sorted(m for m in code_labels() if translator.gettext(lang, m) == m) for lang in LANGUAGES}
    assert raw == {lang: [] for lang in LANGUAGES}


def test_translations_name_only_the_parameters_their_message_has():
    translator = Translator(SRC / "locales")
    fields = re.compile(r"{(\w*)}")
    for msgid in marked_messages():
        for lang in LANGUAGES:
            assert set(fields.findall(translator.gettext(lang, msgid))) <= set(fields.findall(msgid)), (lang, msgid)


def test_every_refusal_is_a_template_not_a_formatted_string():
    formatted = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            at = ERRORS.get(name or "")
            if at is not None and len(node.args) > at and isinstance(node.args[at], ast.JoinedStr | ast.BinOp):
                formatted.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert formatted == []


def test_azerbaijani_is_the_default():
    translator = Translator(SRC / "locales")
    assert translator.gettext(Translator.pick(None), "Sign the protocol") == "Protokolu imzala"
