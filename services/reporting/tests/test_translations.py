"""Every user-visible string of reporting's pages and reports has az, en and ru translations."""

import re
from pathlib import Path

from reporting import labels
from reporting.i18n import translator
from reporting.pages.views import FILTER_LABELS, PERIODS, TITLES

SRC = Path(__file__).resolve().parents[1] / "src" / "reporting"
STATUSES = ("queued", "running", "done", "failed")


def msgids() -> set[str]:
    found: set[str] = set()
    for path in [*(SRC / "pages" / "templates").glob("*.html"), SRC / "reports" / "service.py"]:
        found |= set(re.findall(r'_\("([^"]+)"\)', path.read_text()))
    found |= set(TITLES.values()) | set(FILTER_LABELS.values())
    found |= labels.msgids()
    found |= {f"period:{p}" for p in PERIODS} | {f"status:{s}" for s in STATUSES}
    return found


def test_every_string_is_translated():
    assert translator().missing(msgids()) == {}


def test_azerbaijani_is_not_english():
    t = translator()
    assert t.gettext("az", "Dashboard") != "Dashboard" and t.gettext("ru", "Dashboard") != "Dashboard"


def test_codes_show_as_labels_in_every_language_and_unknown_codes_as_they_are():
    assert [labels.label(lang, "purpose", "report_trafficking") for lang in ("az", "en", "ru")] == [
        "insan alveri halı barədə məlumat",
        "report of a trafficking situation",
        "сообщение о торговле людьми",
    ]
    assert labels.label("en", "service_type", "psychologist") == "psychologist"
    assert labels.label("ru", "risk_level", "high") == "высокий"
    assert labels.label("az", "outcome", "completed") == labels.label("az", "status", "completed") != "completed"
    assert labels.label("en", "method_of_control", "meansOfControlThreats") == "Threats"
    assert labels.label("en", "crisis", "yes") == "yes" and labels.label("ru", "overdue", "no") == "нет"
    assert labels.label("ru", "destination_country", "TR") == "Турция (TR)"
    assert labels.label("en", "purpose", "a_new_code") == "a_new_code"
    assert labels.label("en", "destination_country", "XQ") == "XQ"
