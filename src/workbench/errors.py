"""One hierarchy of user-facing errors.

A :class:`WorkbenchError` is a problem with the user's input, parameters or
environment, never a bug. The command line prints its message as one line and
exits with code 2; anything else is a bug and shows a traceback.

Messages say what was expected, what was found, where, and how to fix it.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

__all__ = [
    "DataError",
    "DataWarning",
    "DesignError",
    "ParameterError",
    "WorkbenchError",
    "first_ids",
    "warn",
]


class WorkbenchError(ValueError):
    """Base class of every error caused by input rather than by a bug."""


class DataError(WorkbenchError):
    """A data file or frame breaks a rule of the canonical data model."""


class DesignError(WorkbenchError):
    """A survey design cannot support the requested estimate."""


class ParameterError(WorkbenchError):
    """A parameter file or option is missing, malformed or out of range."""


class DataWarning(UserWarning):
    """Data are usable, but a choice was made on the user's behalf (a policy applied)."""


def first_ids(ids: Iterable[object], k: int = 5) -> str:
    """Format the first ``k`` identifiers of offending rows for an error message.

    Parameters
    ----------
    ids : iterable
        Row identifiers (household ids, row numbers, ...).
    k : int
        How many to show.

    Examples
    --------
    >>> first_ids([10231, 10877, 11002, 11003, 11004, 11005])
    '10231, 10877, 11002, 11003, 11004, ...'
    """
    ids = list(ids)
    shown = ", ".join(str(i) for i in ids[:k])
    return shown + (", ..." if len(ids) > k else "")


def warn(message: str, category: type[Warning] = DataWarning) -> None:
    """Issue a warning attributed to the caller's caller."""
    warnings.warn(message, category, stacklevel=3)


def one_of(value: object, valid: Sequence[object], what: str) -> str:
    """Message for a value outside a closed set, listing the valid ones."""
    return f"unknown {what} {value!r}; valid: {', '.join(map(str, valid))}"
