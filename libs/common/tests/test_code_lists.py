"""The shared code lists: each code once, one spelling per region, every code labelled in az, en and
ru in the shared catalogs. (Each service's tests check that its own lists are these.)"""

import re

import pytest

from hotline_common import codes
from hotline_common.i18n import LANGUAGES, Translator, shared_catalogs
from hotline_devstack import testing

# The regions the services offered before the list was shared: intake's eight, referrals' seventeen.
INTAKE_REGIONS = ("Baku", "Ganja", "Sumgait", "Lankaran", "Mingachevir", "Shaki", "Shirvan", "Nakhchivan")
REFERRALS_REGIONS = (
    *INTAKE_REGIONS,
    *("Quba", "Guba", "Khachmaz", "Barda", "Yevlakh", "Shamakhi", "Jalilabad", "Zaqatala", "Absheron"),
)


def test_each_list_is_named_as_its_labels_prefix_and_holds_each_code_once():
    assert len(codes.CODE_LISTS) >= 15
    for name, values in codes.CODE_LISTS.items():
        assert re.fullmatch(r"[a-z_]+", name), name
        assert values, name
        assert len(set(values)) == len(values), f"{name}: a code twice"
        assert all(isinstance(code, str) and code and ":" not in code for code in values), name


def test_module_constants_are_the_lists():
    assert codes.CODE_LISTS["region"] is codes.REGIONS
    assert codes.CODE_LISTS["service_type"] is codes.SERVICE_TYPES
    assert codes.CODE_LISTS["language"] is codes.LANGUAGES
    assert codes.CODE_LISTS["risk"] is codes.RISK_LEVELS
    constants = {id(value) for name, value in vars(codes).items() if name.isupper() and isinstance(value, tuple)}
    assert {id(values) for values in codes.CODE_LISTS.values()} == constants, "a tuple of codes outside CODE_LISTS"


def test_one_region_list_with_one_spelling_per_place():
    assert "Quba" in codes.REGIONS and "Guba" not in codes.REGIONS
    offered = {codes.canonical("region", region) for region in (*INTAKE_REGIONS, *REFERRALS_REGIONS)}
    assert offered == set(codes.REGIONS), "the union of what the services offered, Guba as Quba"
    assert codes.REGIONS[: len(INTAKE_REGIONS)] == INTAKE_REGIONS


def test_checking_a_code():
    assert codes.is_code("region", "Baku")
    assert codes.is_code("service_type", "shelter")
    assert not codes.is_code("region", "Guba")
    assert not codes.is_code("region", "baku"), "codes are exact"
    assert not codes.is_code("language", "")
    with pytest.raises(KeyError):
        codes.is_code("regions", "Baku")
    assert codes.canonical("region", "Guba") == "Quba"
    assert codes.canonical("region", "Somewhere") == "Somewhere"
    assert codes.msgid("region", "Baku") == "region:Baku"
    with pytest.raises(KeyError):
        codes.msgid("no_such_list", "x")


def test_every_code_is_labelled_in_every_language_in_the_shared_catalogs():
    msgids = codes.label_msgids()
    assert len(msgids) == sum(len(values) for values in codes.CODE_LISTS.values())
    assert Translator().missing(msgids) == {}
    for lang in LANGUAGES:
        catalog = shared_catalogs()[lang]
        for msgid in msgids:
            assert catalog.get(msgid).string != msgid, f"{lang}: {msgid} is not translated, only copied"


def test_labels_read_as_words_in_each_language():
    t = Translator()
    assert [t.gettext(lang, "region:Quba") for lang in LANGUAGES] == ["Quba", "Quba", "Губа"]
    assert [t.gettext(lang, "service_type:shelter") for lang in LANGUAGES] == ["sığınacaq", "shelter", "приют"]
    assert [t.gettext(lang, "risk:high") for lang in LANGUAGES] == ["yüksək", "high", "высокий"]
    assert [t.gettext(lang, "nap:done") for lang in LANGUAGES] == ["İcra olunub", "Done", "Выполнено"]
    for name, values in codes.CODE_LISTS.items():
        if name in ("line", "age_group"):  # numbers read the same in every language
            continue
        for code in values:
            az, en, ru = (t.gettext(lang, codes.msgid(name, code)) for lang in LANGUAGES)
            assert ru not in (az, en), (name, code)


def test_the_devstack_calls_use_listed_purposes():
    assert set(testing.PURPOSES) <= set(codes.PURPOSES)
