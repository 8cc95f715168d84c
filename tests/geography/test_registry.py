"""The governorate registry: facts, lookups in every accepted spelling, and errors."""

import pytest

from workbench.errors import DataError
from workbench.geography import (
    REGIONS,
    district,
    districts,
    governorate,
    governorates,
    normalize_name,
)


def test_eighteen_governorates_with_unique_codes():
    govs = governorates()
    assert len(govs) == 18
    for attr in ("pcode", "iso", "cso_code", "name_en", "name_ar"):
        values = [getattr(g, attr) for g in govs]
        assert len(set(values)) == 18, attr
    assert {g.region for g in govs} == set(REGIONS)


def test_cosit_order_duhok_first_basrah_last():
    govs = governorates()
    assert govs[0].name_en == "Duhok" and govs[-1].name_en == "Basrah"
    assert [g.cso_code for g in govs] == sorted(g.cso_code for g in govs)


def test_iso_codes_baghdad_is_bg_and_basrah_is_ba():
    # Some public code wrongly maps Baghdad to IQ-BA, which is Basrah (iraq.md).
    assert governorate("Baghdad").iso == "IQ-BG"
    assert governorate("IQ-BA").name_en == "Basrah"


def test_district_counts_match_cod_ab_2019():
    assert len(districts()) == 101
    counts = {g.name_en: len(g.districts) for g in governorates()}
    assert counts["Nineveh"] == 9 and counts["Sulaymaniyah"] == 10 and counts["Karbala"] == 3
    assert all(d.governorate_pcode == g.pcode for g in governorates() for d in g.districts)


def test_population_total_matches_aas_2010():
    total = sum(g.population_2010_thousands for g in governorates())
    assert total == pytest.approx(32_490, abs=15)  # 32.49 million [AAS]


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("Ninewa", "Nineveh"), ("Nineveh", "Nineveh"), ("Ninawa", "Nineveh"),
        ("Salah al-Din", "Salahaddin"), ("Salahaddin", "Salahaddin"), ("salah ad din", "Salahaddin"),
        ("Thi-Qar", "Thi-Qar"), ("Dhi Qar", "Thi-Qar"),
        ("Qadisiyah", "Qadisiyah"), ("Diwaniyah", "Qadisiyah"), ("Al-Qadissiya", "Qadisiyah"),
        ("Sulaymaniyah", "Sulaymaniyah"), ("Sulaimaniya", "Sulaymaniyah"),
        ("Al-Anbar", "Anbar"), ("BASRA", "Basrah"), ("Kerbala", "Karbala"), ("Babil", "Babylon"),
        ("IQG08", "Baghdad"), ("IQ-NI", "Nineveh"), ("23", "Baghdad"), (33, "Basrah"),
        ("بغداد", "Baghdad"), ("الانبار", "Anbar"), ("الأنبار", "Anbar"), ("ذي قار", "Thi-Qar"),
        ("نينوى", "Nineveh"), ("القادسية", "Qadisiyah"),
    ],
)
def test_accepts_common_spellings_codes_and_arabic(spelling, expected):
    assert governorate(spelling).name_en == expected


def test_unknown_governorate_lists_the_valid_ones():
    with pytest.raises(DataError, match=r"unknown governorate 'Atlantis'; valid: Duhok \(IQG09\), .*Basrah \(IQG02\)"):
        governorate("Atlantis")


def test_halabja_is_an_optional_nineteenth_unit():
    assert "Halabja" not in [g.name_en for g in governorates()]
    with_halabja = governorates(halabja=True)
    assert len(with_halabja) == 19
    assert governorate("حلبجة", halabja=True).name_en == "Halabja"
    assert len(governorate("Sulaymaniyah", halabja=True).districts) == 9
    assert len(districts(halabja=True)) == 101  # the same districts, regrouped
    with pytest.raises(DataError):
        governorate("Halabja")


def test_district_lookup_by_pcode_and_name():
    assert district("IQG02Q01").name_en == "Abu Al-Khaseeb"
    assert district("Al-Ramadi").governorate_pcode == "IQG01"
    with pytest.raises(DataError, match="unknown district"):
        district("Nowhere")


def test_normalize_name_folds_articles_and_arabic_letter_forms():
    assert normalize_name("Al-Basrah") == normalize_name("basrah")
    assert normalize_name("أربيل") == normalize_name("اربيل")
