"""One catalogue of English and Arabic strings for charts, tables and reports.

Every label that a reader sees goes through :func:`tr`. The strings live in one
file, ``catalogue.yaml`` beside this module, with an ``en`` and an ``ar`` entry
for every key. Governorate names are not in the catalogue: they come from
:mod:`workbench.geography` (see :func:`place_name`).

Examples
--------
>>> tr("measure.headcount", "en")
'Poverty headcount rate'
>>> tr("measure.headcount", "ar")
'نسبة الفقر'
>>> tr("note.suppressed", "en", min_n=30)
'Estimates resting on fewer than 30 sampled households are suppressed.'
>>> place_name("IQG02", "ar")
'البصرة'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml

from workbench.errors import ParameterError, one_of
from workbench.geography import governorate

__all__ = ["LANGS", "Lang", "check_lang", "direction", "has", "keys", "ltr", "place_name", "tr"]

Lang = Literal["en", "ar"]
LANGS: tuple[str, ...] = get_args(Lang)

_MISSING = object()


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("catalogue.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    flat: dict[str, dict[str, str]] = {}

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if isinstance(value, dict) and set(value) <= set(LANGS) and value:
                flat[name] = {lang: str(text) for lang, text in value.items()}
            elif isinstance(value, dict):
                walk(value, f"{name}.")
            else:
                raise ParameterError(f"i18n/catalogue.yaml: entry {name!r} must map en and ar "
                                     f"to strings; found {type(value).__name__}")

    walk(raw, "")
    return flat


def check_lang(lang: str) -> Lang:
    """Validate a language code at a boundary.

    Raises
    ------
    ParameterError
        If ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ParameterError(one_of(lang, LANGS, "language"))
    return lang  # type: ignore[return-value]


def tr(key: str, lang: Lang = "en", default: str | object = _MISSING, **fields: object) -> str:
    """Translate a catalogue key into ``lang``, filling ``{field}`` placeholders.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"measure.headcount"``.
    lang : {"en", "ar"}
    default : str, optional
        Returned (formatted) when the key is not in the catalogue. Without it, a
        missing key raises.
    **fields
        Values for ``str.format`` placeholders in the string.

    Raises
    ------
    ParameterError
        Unknown language, or unknown key without a default.

    Examples
    --------
    >>> tr("label.year", "ar")
    'السنة'
    >>> tr("measure.unlisted", "en", default="unlisted")
    'unlisted'
    """
    check_lang(lang)
    entry = _catalogue().get(key)
    if entry is None:
        if default is _MISSING:
            raise ParameterError(f"i18n/catalogue.yaml has no key {key!r}; add it with en and ar")
        text = str(default)
    else:
        text = entry[lang]
    return text.format(**fields) if fields else text


def has(key: str) -> bool:
    """Whether the catalogue holds ``key``."""
    return key in _catalogue()


def keys() -> tuple[str, ...]:
    """Every key of the catalogue, sorted."""
    return tuple(sorted(_catalogue()))


def entries() -> dict[str, dict[str, str]]:
    """The whole catalogue as ``{key: {lang: text}}`` (a copy)."""
    return {k: dict(v) for k, v in _catalogue().items()}


def place_name(code: str, lang: Lang = "en") -> str:
    """Name of a governorate (any key :func:`workbench.geography.governorate` takes) or ``national``.

    Examples
    --------
    >>> place_name("national", "ar")
    'العراق'
    >>> place_name("Basra", "en")
    'Basrah'
    """
    check_lang(lang)
    if str(code).lower() in ("national", "iraq", "iq"):
        return tr("place.national", lang)
    return governorate(code).name(lang)


def direction(lang: Lang) -> Literal["ltr", "rtl"]:
    """Text direction of ``lang``."""
    return "rtl" if check_lang(lang) == "ar" else "ltr"


def ltr(text: str, lang: Lang) -> str:
    """Isolate a left-to-right run (a range, a path, a hash) inside Arabic text.

    Without it, the bidirectional algorithm lays ``21.0–26.0`` out as ``26.0–21.0``
    in a right-to-left paragraph. English text is returned unchanged.

    Examples
    --------
    >>> ltr("21.0–26.0", "ar") == "\u206621.0–26.0\u2069"
    True
    >>> ltr("21.0–26.0", "en")
    '21.0–26.0'
    """
    return f"\u2066{text}\u2069" if lang == "ar" and text else text
