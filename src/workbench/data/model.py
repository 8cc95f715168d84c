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

__all__ = ["Column", "Table", "TABLES", "SURVEY", "DISPLACEMENT", "EDUCATION", "EMPLOYMENT"]

DISPLACEMENT: tuple[str, ...] = ("non_displaced", "idp_camp", "idp_out_of_camp", "returnee", "host")
EDUCATION: tuple[str, ...] = ("none", "primary", "intermediate", "secondary", "higher")
EMPLOYMENT: tuple[str, ...] = ("employed", "unemployed", "inactive")
AREA: tuple[str, ...] = ("urban", "rural")
SEX: tuple[str, ...] = ("male", "female")


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
    """

    name: str
    dtype: str
    description: str
    values: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    required: bool = True


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
    Column("rooms", "int", "Rooms in the dwelling.", min=1, required=False),
    Column("owns_dwelling", "bool", "The household owns its dwelling.", required=False),
    Column("improved_water", "bool", "Piped or other improved drinking water.", required=False),
    Column("has_fridge", "bool", "Owns a refrigerator.", required=False),
    Column("has_ac", "bool", "Owns an air conditioner.", required=False),
    Column("has_car", "bool", "Owns a car.", required=False),
    Column("has_generator", "bool", "Has a private or shared generator subscription.", required=False),
    Column("pds_holder", "bool", "Holds a ration card (Public Distribution System).", required=False),
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

TABLES: dict[str, Table] = {"survey": SURVEY}
