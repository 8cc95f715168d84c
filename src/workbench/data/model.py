"""The canonical data model: one declaration of every table's columns.

Every loader, validator, generator and document reads these declarations, so a
column is defined in one place only. ``docs/data.md`` is written from them
(``workbench data model``) and a test keeps the two in step.

Codes
-----
- ``governorate``: OCHA P-code (``IQG01`` … ``IQG18``), see :mod:`workbench.geography`.
- ``district``: OCHA COD-AB 2019 P-code (``IQG02Q01``, ...).
- Money is nominal Iraqi dinars (IQD) per month.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "CPI",
    "DISPLACEMENT",
    "EDUCATION",
    "EMPLOYMENT",
    "FRAME",
    "PANEL",
    "REGISTRY",
    "STATUS",
    "SURVEY",
    "TABLES",
    "Column",
    "Table",
]

DISPLACEMENT: tuple[str, ...] = ("non_displaced", "idp_camp", "idp_out_of_camp", "returnee", "host")
EDUCATION: tuple[str, ...] = ("none", "primary", "intermediate", "secondary", "higher")
EMPLOYMENT: tuple[str, ...] = ("employed", "unemployed", "inactive")
AREA: tuple[str, ...] = ("urban", "rural")
SEX: tuple[str, ...] = ("male", "female")
STATUS: tuple[str, ...] = ("V", "C", "R", "S")
"""Provenance of a number, strongest first: published (seen), computed, recalled, synthetic."""


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    Attributes
    ----------
    name : str
        Canonical name.
    dtype : str
        ``int``, ``float``, ``bool``, ``str`` or ``category``.
    description : str
        What it holds, with its unit.
    values : tuple of str, optional
        Allowed values of a category.
    min, max : float, optional
        Closed bounds (``min_exclusive`` makes the lower bound open).
    required : bool
        Must be present in a loaded file; optional columns may be absent.
    nullable : bool
        May hold missing values (the description says when).
    """

    name: str
    dtype: str
    description: str
    values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, its key and its columns."""

    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        """Column names in canonical order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The declaration of one column."""
        return next(c for c in self.columns if c.name == name)


_HOUSEHOLD_COVARIATES: tuple[Column, ...] = (
    Column("governorate", "str", "Governorate OCHA P-code (IQG01-IQG18)."),
    Column("district", "str", "District (qadha) OCHA COD-AB 2019 P-code.", required=False),
    Column("area", "category", "Urban or rural.", values=AREA),
    Column("hhsize", "int", "Household size, persons.", min=1),
    Column("head_sex", "category", "Sex of the household head.", values=SEX),
    Column("head_age", "int", "Age of the household head, years.", min=10, max=110),
    Column("head_education", "category", "Highest level completed by the head.", values=EDUCATION),
    Column("head_employment", "category", "Labour-force status of the head.", values=EMPLOYMENT),
    Column("displacement", "category", "Displacement status of the household.", values=DISPLACEMENT),
    Column("rooms", "int", "Rooms in the dwelling.", min=1, required=False, nullable=True),
    Column("owns_dwelling", "bool", "The household owns its dwelling.", required=False, nullable=True),
    Column("improved_water", "bool", "Piped or other improved drinking water.", required=False, nullable=True),
    Column("has_fridge", "bool", "Owns a refrigerator.", required=False, nullable=True),
    Column("has_ac", "bool", "Owns an air conditioner.", required=False, nullable=True),
    Column("has_car", "bool", "Owns a car.", required=False, nullable=True),
    Column("has_generator", "bool", "Has a private or shared generator subscription.", required=False, nullable=True),
    Column("pds_holder", "bool", "Holds a ration card (Public Distribution System).", required=False, nullable=True),
)

SURVEY = Table(
    "survey",
    "A household survey round (IHSES-like): one row per household.",
    key=("hhid",),
    columns=(
        Column("hhid", "int", "Household identifier, unique within a round."),
        Column("year", "int", "Survey round.", min=2000, max=2100),
        _HOUSEHOLD_COVARIATES[0],
        _HOUSEHOLD_COVARIATES[1],
        _HOUSEHOLD_COVARIATES[2],
        Column("stratum", "str", "Design stratum (governorate x urban/rural in IHSES)."),
        Column("psu", "int", "Primary sampling unit (enumeration area), unique across strata."),
        Column("weight", "float", "Household sampling weight (households represented).",
               min=0, min_exclusive=True),
        *_HOUSEHOLD_COVARIATES[3:],
        Column("consumption_pc", "float",
               "Nominal per-capita monthly household consumption, IQD.", min=0),
        Column("food_pc", "float", "Food part of consumption_pc, IQD.", min=0, required=False),
        Column("spn_receipt", "bool", "Receives the Social Protection Network cash transfer.",
               required=False),
        Column("spn_amount", "float", "SPN transfer, IQD per household per month (0 if none).",
               min=0, required=False),
    ),
)

_DISTRICT = Column("district", "str", "District (qadha) OCHA COD-AB 2019 P-code.")

FRAME = Table(
    "frame",
    "A census-style household frame for poverty maps: one row per household, no weights "
    "(every household is listed), the survey's covariates and no consumption.",
    key=("hhid",),
    columns=(
        Column("hhid", "int", "Household identifier, unique within the frame."),
        Column("year", "int", "Census year.", min=2000, max=2100),
        _HOUSEHOLD_COVARIATES[0],
        _DISTRICT,
        _HOUSEHOLD_COVARIATES[2],
        Column("ea", "int", "Census enumeration area, unique within the frame."),
        *_HOUSEHOLD_COVARIATES[3:],
    ),
)

REGISTRY = Table(
    "registry",
    "The Social Protection Network's welfare database: one row per applicant household, "
    "with its proxy-means-test (PMT) score and enrolment.",
    key=("registry_id",),
    columns=(
        Column("registry_id", "int", "Registry record identifier."),
        Column("hhid", "int", "The same household's identifier in the panel (`panel.hhid`)."),
        _HOUSEHOLD_COVARIATES[0],
        _DISTRICT,
        _HOUSEHOLD_COVARIATES[2],
        Column("application_year", "int", "Year the household applied.", min=2000, max=2100),
        *_HOUSEHOLD_COVARIATES[3:],
        Column("pmt_score", "float",
               "PMT score: predicted log per-capita monthly consumption, log IQD."),
        Column("pmt_threshold", "float",
               "Eligibility cut-off in force, log IQD: eligible when pmt_score < pmt_threshold."),
        Column("eligible", "bool", "The PMT score is below the threshold."),
        Column("enrolled", "bool", "The household was enrolled and paid."),
        Column("enrolment_year", "int", "Year of enrolment; missing if never enrolled.",
               min=2000, max=2100, nullable=True),
        Column("spn_amount", "float", "SPN transfer, IQD per household per month (0 if none).",
               min=0),
    ),
)

PANEL = Table(
    "panel",
    "A household panel for impact evaluation: one row per household and year; the "
    "PMT-based SPN reaches governorates in stages (`rollout_year`).",
    key=("hhid", "year"),
    columns=(
        Column("hhid", "int", "Household identifier, stable across years."),
        Column("year", "int", "Panel wave.", min=2000, max=2100),
        _HOUSEHOLD_COVARIATES[0],
        _DISTRICT,
        _HOUSEHOLD_COVARIATES[2],
        Column("weight", "float", "Panel household weight (households represented), fixed "
               "over years.", min=0, min_exclusive=True),
        _HOUSEHOLD_COVARIATES[3],
        _HOUSEHOLD_COVARIATES[4],
        _HOUSEHOLD_COVARIATES[6],
        Column("rollout_year", "int", "Year the PMT-based SPN reached the governorate; "
               "missing if not within the panel's years.", min=2000, max=2100, nullable=True),
        Column("registry_id", "int", "The household's registry record (`registry.registry_id`); "
               "missing if it never applied.", nullable=True),
        Column("spn_receipt", "bool", "Receives the Social Protection Network cash transfer."),
        Column("spn_amount", "float", "SPN transfer, IQD per household per month (0 if none).",
               min=0),
        Column("consumption_pc", "float",
               "Nominal per-capita monthly household consumption, IQD.", min=0),
        Column("food_pc", "float", "Food part of consumption_pc, IQD.", min=0),
    ),
)

CPI = Table(
    "cpi",
    "Consumer price index by year, national and by governorate (the CPI frame of "
    "`workbench.poverty_lines`).",
    key=("year", "governorate"),
    columns=(
        Column("year", "int", "Calendar year.", min=1990, max=2100),
        Column("governorate", "str", "`national`, or a governorate P-code."),
        Column("index", "float", "Index, 2012 = 100.", min=0, min_exclusive=True),
        Column("inflation", "float", "Change over the previous year, percent; missing in the "
               "first year.", nullable=True),
        Column("status", "category", "Provenance: V published, C computed, R recalled, "
               "S synthetic.", values=STATUS),
        Column("synthetic", "bool", "The value is synthesised (not from a published source)."),
    ),
)

TABLES: dict[str, Table] = {"survey": SURVEY, "frame": FRAME, "registry": REGISTRY,
                            "panel": PANEL, "cpi": CPI}
