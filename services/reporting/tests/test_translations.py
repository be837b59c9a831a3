"""Every user-visible string of reporting's pages and reports has az, en and ru translations."""
import re
from pathlib import Path

from reporting.i18n import translator
from reporting.pages.views import FILTER_LABELS, PERIODS, TITLES

SRC = Path(__file__).resolve().parents[1] / "src" / "reporting"
STATUSES = ("queued", "running", "done", "failed")


def msgids() -> set[str]:
    found: set[str] = set()
    for path in [*(SRC / "pages" / "templates").glob("*.html"), SRC / "reports" / "service.py"]:
        found |= set(re.findall(r'_\("([^"]+)"\)', path.read_text()))
    found |= set(TITLES.values()) | set(FILTER_LABELS.values())
    found |= {f"period:{p}" for p in PERIODS} | {f"status:{s}" for s in STATUSES}
    return found


def test_every_string_is_translated():
    assert translator().missing(msgids()) == {}


def test_azerbaijani_is_not_english():
    t = translator()
    assert t.gettext("az", "Dashboard") != "Dashboard" and t.gettext("ru", "Dashboard") != "Dashboard"
