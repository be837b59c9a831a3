"""The National Action Plan's measure statuses are the shared list (reporting counts them too), and
their labels come from the shared catalogs only."""

from pathlib import Path

from babel.messages.pofile import read_po

from coordination.nap.models import STATUSES
from hotline_common import codes as shared
from hotline_common.i18n import LANGUAGES, Translator

LOCALES = Path(__file__).resolve().parents[1] / "src" / "coordination" / "locales"


def test_nap_statuses_are_the_shared_list():
    assert STATUSES == shared.NAP_STATUSES


def test_coordination_catalogs_leave_the_shared_labels_to_the_shared_catalogs():
    shared_msgids = shared.label_msgids()
    for lang in LANGUAGES:
        with open(LOCALES / f"{lang}.po", "rb") as fh:
            own = {message.id for message in read_po(fh) if message.id}
        assert not own & {f"nap:{s}" for s in STATUSES}
        # coordination's "status:" and "kind:" are its own lists (meetings, library, bodies), not shared codes.
        assert not own & shared_msgids, sorted(own & shared_msgids)
    assert Translator(LOCALES).gettext("en", "nap:in_progress") == "In progress"
