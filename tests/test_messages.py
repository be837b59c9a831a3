"""Every message a page can show has its az, en and ru text in the .po files (the only source of
texts), found by extracting the sources with Babel (hotline_devstack.messages)."""

import re

import pytest

from hotline_common.i18n import Translator
from hotline_devstack.messages import PACKAGES, extracted

KEY = re.compile(r"^[a-z_]+:[A-Za-z0-9_\-]+$")


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_extracted_message_is_translated(package):
    source = PACKAGES[package]
    translator = Translator(source / "locales" if package != "hotline_common" else None)
    used = extracted(source)
    assert used, f"nothing extracted from {source}: the extraction is broken"
    missing = {
        lang: {msgid: used[msgid][0] for msgid in sorted(used) if not translator.has(lang, msgid)}
        for lang in ("az", "en", "ru")
    }
    missing = {lang: found for lang, found in missing.items() if found}
    assert missing == {}, "translate these in locales/<lang>.po (run `make messages` to add them):\n" + "\n".join(
        f"  {lang}: {msgid!r} ({where})" for lang, found in missing.items() for msgid, where in found.items()
    )


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_code_labels_read_as_words_in_every_language(package):
    """A `<list>:<code>` msgid is a key, not a text: its translation (English too) is the label."""
    from babel.messages.pofile import read_po

    unlabelled = []
    for lang in ("az", "en", "ru"):
        with open(PACKAGES[package] / "locales" / f"{lang}.po", "rb") as fh:
            catalog = read_po(fh, locale=lang)
        unlabelled += [
            f"{lang}: {m.id}"
            for m in catalog
            if m.id and isinstance(m.id, str) and KEY.match(m.id) and m.string == m.id
        ]
    assert unlabelled == []
