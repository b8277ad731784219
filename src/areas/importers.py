"""Load a municipality's districts and neighbourhoods from the CBS KWB file it downloads (any year; by
default the selection in data/, see data/README.md) and their boundaries from a CBS/PDOK GeoJSON."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from wijkteam.reference import data_path

from . import geometry
from .kwb import KwbRefused, KwbTable, read_kwb, read_names
from .models import Area, AreaBoundary, AreaChange, AreaChangeKind, AreaKind, Municipality, PostcodeArea

KWB_FILE = "cbs/kwb2024_selectie.json"
SHIPPED_BOUNDARIES = "wijken_2024_leeuwarden_helmond_barneveld_woerden_heerenveen.geojson"
INHABITANTS = "AantalInwoners_5"
BOUNDARY_SOURCE = "CBS/PDOK, wijken 2024, generalised boundaries, CC BY 4.0"
PC4_SOURCE = "Derived from CBS/PDOK postcode (2021) and district (2024) boundaries"
MIN_SHARE = 0.05  # smaller overlaps are artefacts of the generalised boundaries


@dataclass
class ImportReport:
    districts: int = 0
    neighbourhoods: int = 0
    boundaries: int = 0
    postcodes: int = 0
    skipped: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def _features(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except FileNotFoundError:
        raise KwbRefused(path.name, None, "file not found") from None
    except json.JSONDecodeError as error:
        raise KwbRefused(path.name, error.lineno, f"not valid JSON: {error.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise KwbRefused(path.name, 1, "expected a GeoJSON FeatureCollection")
    return data["features"]


def _shapes(features: list[dict], prefixes: tuple[str, ...]) -> dict[str, dict]:
    """Features by CBS code (``statcode``, as in the CBS/PDOK wijk- en buurtkaart; also ``wijkcode``/
    ``buurtcode``) whose code starts with one of ``prefixes``."""
    shapes = {}
    for feature in features:
        properties = feature.get("properties") or {}
        code = str(properties.get("statcode") or properties.get("wijkcode") or properties.get("buurtcode") or "")
        if code.strip().startswith(prefixes) and feature.get("geometry"):
            shapes[code.strip()] = feature
    return shapes


def _municipality_name(cbs_code: str, table: KwbTable) -> str:
    name = table.municipality_name(cbs_code)
    if name:
        return name
    existing = Municipality.objects.filter(cbs_code=cbs_code).first()
    if existing:
        return existing.name
    municipalities = json.loads(data_path("geo", "gemeenten_2025.geojson").read_text("utf-8"))
    name = next(
        (f["properties"]["statnaam"] for f in municipalities["features"] if f["properties"]["statcode"] == cbs_code),
        None,
    )
    if name is None:
        raise ValueError(f"Unknown municipality code {cbs_code}")
    return name


@transaction.atomic
def import_municipality(
    cbs_code: str,
    *,
    positioning: str | None = None,
    kwb_file: Path | None = None,
    regions_file: Path | None = None,
    boundaries_file: Path | None = None,
    year: int | None = None,
) -> tuple[Municipality, ImportReport]:
    """Create or update the municipality and its districts (wijken) and neighbourhoods (buurten) from
    a KWB file (``areas.kwb``; by default the selection in data/), with their inhabitants, and the
    boundaries of a GeoJSON file. A later year's file records what changed (``AreaChange``); an area
    that is no longer published is kept with ``ended_in`` so its figures stay with it. Running it
    twice changes nothing."""
    report = ImportReport()
    shipped = kwb_file is None
    kwb_path = kwb_file or data_path("cbs", "kwb2024_selectie.json")
    boundaries_path = boundaries_file or (data_path("geo", SHIPPED_BOUNDARIES) if shipped else None)
    prefixes = ("WK" + cbs_code[2:], "BU" + cbs_code[2:])
    shapes = _shapes(_features(boundaries_path), prefixes) if boundaries_path else {}
    names = {code: feature["properties"].get("statnaam", "") for code, feature in shapes.items()}
    if regions_file:
        names.update(read_names(regions_file))
    table = read_kwb(kwb_path, names=names, year=year, display_name=KWB_FILE if shipped else None)
    regions = table.of(cbs_code)
    if not regions:
        raise ValueError(f"{cbs_code} is not in {table.file}")
    defaults = {"name": _municipality_name(cbs_code, table)}
    if positioning:
        defaults["positioning"] = positioning
    municipality, _ = Municipality.objects.update_or_create(cbs_code=cbs_code, defaults=defaults)
    known = {a.cbs_code: a for a in Area.objects.filter(cbs_code__in=[r.code for r in regions])}
    imported_before = municipality.areas.filter(kwb_year__isnull=False).exists()

    def change(area: Area, kind: str, old: str = "", new: str = "") -> None:
        AreaChange.objects.create(
            municipality=municipality,
            area=area,
            year=table.year,
            kind=kind,
            old_name=old,
            new_name=new,
            file=table.file,
        )
        report.changes.append(f"{area.cbs_code}: {AreaChangeKind(kind).label} {old} {new}".strip())

    parents: dict[str, Area] = {}
    for region in sorted((r for r in regions if r.kind in ("WK", "BU")), key=lambda r: (r.kind != "WK", r.code)):
        area = known.get(region.code)
        name = region.name or (area.name if area else "")
        if not name:
            report.skipped.append(f"{region.code}: no name in the files")
            continue
        if area and area.kwb_year and table.year < area.kwb_year:
            report.skipped.append(f"{region.code}: {table.year} is older than the {area.kwb_year} classification here")
            continue
        inhabitants = region.values.get(INHABITANTS)
        fields = {
            "municipality": municipality,
            "kind": AreaKind.WIJK if region.kind == "WK" else AreaKind.BUURT,
            "name": name,
            "parent": parents.get(region.district_code) if region.kind == "BU" else None,
            "inhabitants": int(inhabitants) if inhabitants is not None else None,
            "inhabitants_source": f"{table.source}, {table.year}" if inhabitants is not None else "",
            "kwb_year": table.year,
            "ended_in": None,
        }
        if area is None:
            area = Area.objects.create(cbs_code=region.code, **fields)
            if imported_before:
                change(area, AreaChangeKind.NEW, new=name)
        else:
            if area.name != name:
                change(area, AreaChangeKind.RENAMED, old=area.name, new=name)
            for key, value in fields.items():
                setattr(area, key, value)
            area.save()
        if region.kind == "WK":
            parents[region.code] = area
            report.districts += 1
        else:
            report.neighbourhoods += 1
        if region.code in shapes:
            _store_boundary(area, shapes[region.code]["geometry"], boundary_source(boundaries_path, shipped))
            report.boundaries += 1
        elif region.kind == "WK":
            report.skipped.append(f"{region.code}: no boundary")

    seen = {r.code for r in regions}
    # A file of districts only says nothing about neighbourhoods.
    kinds = [
        kind
        for prefix, kind in (("WK", AreaKind.WIJK), ("BU", AreaKind.BUURT))
        if any(r.kind == prefix for r in regions)
    ]
    gone = municipality.areas.filter(kwb_year__lt=table.year, ended_in__isnull=True, kind__in=kinds)
    for area in gone.exclude(cbs_code__in=seen):
        area.ended_in = table.year
        area.save(update_fields=["ended_in"])
        change(area, AreaChangeKind.ENDED, old=area.name)

    if shipped:
        districts = {code: shape for code, shape in shapes.items() if code.startswith("WK")}
        _map_postcodes(municipality, municipality.name, districts, report)
    return municipality, report


def boundary_source(path: Path, shipped: bool = False) -> str:
    return BOUNDARY_SOURCE if shipped else f"CBS/PDOK, wijk- en buurtkaart, {path.name}"


def _store_boundary(area: Area, shape: dict, source: str) -> None:
    geometry.polygons(shape)  # refuses what is not a (multi)polygon
    AreaBoundary.objects.update_or_create(area=area, defaults={"geometry": shape, "source": source})


@transaction.atomic
def import_boundaries(municipality: Municipality, path: Path) -> ImportReport:
    """The outlines of the municipality's districts and neighbourhoods from a GeoJSON file it provides
    (CBS/PDOK wijk- en buurtkaart, WGS84). Areas not in the file keep what they had."""
    report = ImportReport()
    shapes = _shapes(_features(path), ("WK" + municipality.cbs_code[2:], "BU" + municipality.cbs_code[2:]))
    areas = {a.cbs_code: a for a in municipality.areas.all()}
    for code, feature in sorted(shapes.items()):
        area = areas.get(code)
        if area is None:
            report.skipped.append(f"{code}: not a district of {municipality.name} here (run import_areas first)")
            continue
        try:
            _store_boundary(area, feature["geometry"], boundary_source(path))
        except (KeyError, TypeError, ValueError) as error:
            raise KwbRefused(path.name, None, f"{code}: {error}") from None
        report.boundaries += 1
    for code, area in areas.items():
        if code not in shapes and area.kind == AreaKind.WIJK and area.ended_in is None:
            report.skipped.append(f"{code}: no boundary in {path.name}")
    return report


def _map_postcodes(municipality: Municipality, name: str, shapes: dict, report: ImportReport) -> None:
    postcode_areas = json.loads(
        data_path("geo", "pc4_leeuwarden_helmond_barneveld_woerden.geojson").read_text("utf-8")
    )
    districts = {code: feature["geometry"] for code, feature in shapes.items()}
    areas = {area.cbs_code: area for area in municipality.areas.all()}
    for feature in postcode_areas["features"]:
        if feature["properties"]["gemeente"] != name:
            continue
        postcode4 = f"{int(feature['properties']['postcode']):04d}"
        shares = {
            code: share
            for code, share in geometry.overlaps(feature["geometry"], districts).items()
            if share >= MIN_SHARE and code in areas
        }
        if not shares:
            report.skipped.append(f"postcode {postcode4}: lies in no district")
            continue
        PostcodeArea.objects.filter(postcode4=postcode4).exclude(area__cbs_code__in=shares).delete()
        for code, share in shares.items():
            PostcodeArea.objects.update_or_create(
                postcode4=postcode4, area=areas[code], defaults={"share": round(share, 3), "source": PC4_SOURCE}
            )
        report.postcodes += 1
