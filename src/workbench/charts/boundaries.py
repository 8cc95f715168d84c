"""Governorate boundaries registered by the user in ``parameters/geography.yaml``.

The workbench ships no geometry. A user who has the OCHA COD-AB file (HDX,
"Iraq - Subnational Administrative Boundaries") registers it::

    # parameters/geography.yaml
    boundaries:
      governorate:
        path: /data/geo/irq_admbnda_adm1_cso_20190603.geojson   # relative paths: to this file
        code_property: ADM1_PCODE                               # holds IQG01..IQG18
        attribution: "OCHA / Central Statistical Organization Iraq, COD-AB 2019, CC BY 3.0 IGO"

Without it, maps fall back to the labelled tile grid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.charts.params import read_parameters
from workbench.errors import DataError, ParameterError, first_ids
from workbench.geography import governorate

__all__ = ["Boundaries", "load_boundaries", "registered_boundaries"]


@dataclass(frozen=True)
class Boundaries:
    """Governorate polygons keyed by P-code, in longitude/latitude."""

    path: Path
    attribution: str
    rings: dict[str, list[list[tuple[float, float]]]]  # P-code -> outer rings


def _outer_rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [[tuple(p[:2]) for p in geometry["coordinates"][0]]]
    if kind == "MultiPolygon":
        return [[tuple(p[:2]) for p in poly[0]] for poly in geometry["coordinates"]]
    raise DataError(f"boundary geometry type {kind!r} is not a Polygon or MultiPolygon")


def load_boundaries(path: str | Path, *, code_property: str = "ADM1_PCODE",
                    attribution: str = "") -> Boundaries:
    """Read a GeoJSON FeatureCollection of governorates.

    Raises
    ------
    DataError
        If the file is missing or not GeoJSON, a feature lacks ``code_property``, a
        code is not a governorate, or a governorate has no feature.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: boundary file not found; fix 'boundaries.governorate.path' in "
                        "parameters/geography.yaml")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid GeoJSON ({exc})") from None
    features = data.get("features") if isinstance(data, dict) else None
    if not features:
        raise DataError(f"{path}: expected a GeoJSON FeatureCollection with features")
    rings: dict[str, list] = {}
    bad: list[str] = []
    for i, feature in enumerate(features):
        code = (feature.get("properties") or {}).get(code_property)
        try:
            pcode = governorate(str(code)).pcode
        except DataError:
            bad.append(f"feature {i}: {code!r}")
            continue
        rings.setdefault(pcode, []).extend(_outer_rings(feature["geometry"]))
    if bad:
        raise DataError(f"{path}: property {code_property!r} must name a governorate in every feature; "
                        f"{len(bad)} do not ({first_ids(bad)})")
    from workbench.geography import governorates

    missing = [g.pcode for g in governorates() if g.pcode not in rings]
    if missing:
        raise DataError(f"{path}: {len(missing)} governorates have no polygon ({first_ids(missing)})")
    return Boundaries(path=path, attribution=attribution, rings=rings)


def registered_boundaries() -> Boundaries | None:
    """The boundaries registered in ``parameters/geography.yaml``, or None.

    Raises
    ------
    ParameterError
        If the registration is malformed.
    """
    params = read_parameters("geography.yaml")
    entry = (params.get("boundaries") or {}).get("governorate")
    if not entry:
        return None
    if not isinstance(entry, dict) or "path" not in entry:
        raise ParameterError(f"{params['__path__']}: 'boundaries.governorate' needs a 'path' "
                             "(and optionally 'code_property', 'attribution')")
    path = Path(entry["path"])
    if not path.is_absolute():
        path = Path(params["__path__"]).parent / path
    return load_boundaries(path, code_property=entry.get("code_property", "ADM1_PCODE"),
                           attribution=entry.get("attribution", ""))
