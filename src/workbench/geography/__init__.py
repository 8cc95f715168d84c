"""Iraq's governorates and districts: the single source of truth for names and codes.

Governorates carry the OCHA P-code (``IQG01`` … ``IQG18``), the ISO 3166-2:IQ
code, COSIT's table code (recalled, optional), English and Arabic names, the
region used in published tables, and their districts (qadhas) from OCHA COD-AB
2019. Lookups accept P-codes, ISO codes, CSO codes, English names in their
common spellings, and Arabic names.

Halabja is a district of Sulaymaniyah in COD 2019. Pass ``halabja=True`` to
treat it as a 19th governorate-level unit.

Examples
--------
>>> governorate("Ninawa").name_en
'Nineveh'
>>> governorate("IQ-BA").name_en
'Basrah'
>>> governorate("ذي قار").iso
'IQ-DQ'
>>> len(governorates())
18
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from workbench.errors import DataError

__all__ = [
    "REGIONS",
    "District",
    "Governorate",
    "district",
    "districts",
    "governorate",
    "governorates",
    "normalize_name",
]

REGIONS: tuple[str, ...] = ("Kurdistan Region", "Baghdad", "north", "centre", "south")

HALABJA_PCODE = "IQG06Q05"


@dataclass(frozen=True)
class District:
    """A district (qadha, قضاء) of a governorate, as in OCHA COD-AB 2019."""

    pcode: str
    name_en: str
    name_ar: str
    governorate_pcode: str


@dataclass(frozen=True)
class Governorate:
    """A governorate (muhafadha, محافظة) of Iraq."""

    pcode: str
    iso: str | None
    cso_code: int | None
    name_en: str
    name_ar: str
    region: str
    variants: tuple[str, ...]
    population_2010_thousands: float
    urban_share_2010: float
    districts: tuple[District, ...]

    @property
    def code(self) -> str:
        """The workbench's canonical code: the OCHA P-code."""
        return self.pcode

    def name(self, lang: str = "en") -> str:
        """The name in ``lang`` (``en`` or ``ar``)."""
        return self.name_ar if lang == "ar" else self.name_en


_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def normalize_name(name: str) -> str:
    """Fold a place name to a key that common spellings share.

    Lower case, no accents, no punctuation or spaces, no leading article
    (``al-``, ``as-``, ``at-``, ``an-``, ``ad-`` or Arabic ``ال``), Arabic
    alef, ya and ta marbuta forms folded.

    Examples
    --------
    >>> normalize_name("Al-Basrah") == normalize_name("basrah")
    True
    >>> normalize_name("الانبار") == normalize_name("الأنبار")
    True
    """
    text = unicodedata.normalize("NFKC", str(name)).strip().translate(_ARABIC_FOLD).casefold()
    text = re.sub(r"^(al|as|at|an|ad|ar|el)[\s\-']+", "", text)
    text = re.sub(r"^ال", "", text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text)


def _read_csv(name: str) -> list[dict[str, str]]:
    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def _registry(halabja: bool) -> tuple[tuple[Governorate, ...], dict[str, Governorate]]:
    by_gov: dict[str, list[District]] = {}
    for row in _read_csv("districts.csv"):
        d = District(row["district_pcode"], row["name_en"], row["name_ar"], row["governorate_pcode"])
        by_gov.setdefault(d.governorate_pcode, []).append(d)
    govs: list[Governorate] = []
    for row in _read_csv("governorates.csv"):
        dists = by_gov[row["pcode"]]
        if halabja and row["pcode"] == "IQG06":
            dists = [d for d in dists if d.pcode != HALABJA_PCODE]
        govs.append(
            Governorate(
                pcode=row["pcode"],
                iso=row["iso"],
                cso_code=int(row["cso_code"]),
                name_en=row["name_en"],
                name_ar=row["name_ar"],
                region=row["region"],
                variants=tuple(v for v in row["variants"].split("|") if v),
                population_2010_thousands=float(row["population_2010_thousands"]),
                urban_share_2010=float(row["urban_share_2010"]),
                districts=tuple(dists),
            )
        )
    if halabja:
        hal = next(d for d in by_gov["IQG06"] if d.pcode == HALABJA_PCODE)
        govs.append(
            Governorate(
                pcode=HALABJA_PCODE, iso=None, cso_code=None, name_en="Halabja", name_ar="حلبجة",
                region="Kurdistan Region", variants=("Halabjah", "Helebce"),
                population_2010_thousands=float("nan"), urban_share_2010=float("nan"),
                districts=(hal,),
            )
        )
    index: dict[str, Governorate] = {}
    for g in govs:
        keys = [g.pcode, g.iso, str(g.cso_code) if g.cso_code else None, g.name_en, g.name_ar, *g.variants]
        for key in keys:
            if key:
                index[normalize_name(key)] = g
    return tuple(govs), index


def governorates(*, halabja: bool = False) -> tuple[Governorate, ...]:
    """All governorates, in COSIT's table order (Duhok first, Basrah last).

    Parameters
    ----------
    halabja : bool
        Add Halabja as a 19th unit, split from Sulaymaniyah.
    """
    return _registry(halabja)[0]


def governorate(key: str | int, *, halabja: bool = False) -> Governorate:
    """Look up a governorate by P-code, ISO code, CSO code, or English or Arabic name.

    Raises
    ------
    DataError
        If nothing matches; the message lists the valid names.
    """
    govs, index = _registry(halabja)
    found = index.get(normalize_name(str(key)))
    if found is None:
        valid = ", ".join(f"{g.name_en} ({g.pcode})" for g in govs)
        raise DataError(f"unknown governorate {key!r}; valid: {valid}")
    return found


def districts(gov: str | None = None, *, halabja: bool = False) -> tuple[District, ...]:
    """Districts of one governorate, or of all when ``gov`` is None."""
    if gov is not None:
        return governorate(gov, halabja=halabja).districts
    return tuple(d for g in governorates(halabja=halabja) for d in g.districts)


def district(key: str, *, halabja: bool = False) -> District:
    """Look up a district by P-code or English or Arabic name.

    Raises
    ------
    DataError
        If nothing matches, or a name matches districts of two governorates.
    """
    norm = normalize_name(key)
    hits = [d for d in districts(halabja=halabja)
            if norm in (normalize_name(d.pcode), normalize_name(d.name_en), normalize_name(d.name_ar))]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise DataError(f"unknown district {key!r}; use a COD-AB P-code such as IQG02Q01, "
                        "or see workbench.geography.districts()")
    raise DataError(f"district name {key!r} is ambiguous: {', '.join(d.pcode for d in hits)}; use the P-code")
