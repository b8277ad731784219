"""Load a municipality's districts from the CBS and PDOK files in data/ (see data/README.md)."""

import csv
import json
from dataclasses import dataclass, field

from django.db import transaction

from wijkteam.reference import data_path

from . import geometry
from .models import Area, AreaBoundary, AreaKind, Municipality, PostcodeArea

KWB_SOURCE = "CBS, Kerncijfers wijken en buurten 2024 (85984NED), CC BY 4.0"
BOUNDARY_SOURCE = "CBS/PDOK, wijken 2024, generalised boundaries, CC BY 4.0"
PC4_SOURCE = "Derived from CBS/PDOK postcode (2021) and district (2024) boundaries"
MIN_SHARE = 0.05  # smaller overlaps are artefacts of the generalised boundaries


@dataclass
class ImportReport:
    districts: int = 0
    boundaries: int = 0
    postcodes: int = 0
    skipped: list[str] = field(default_factory=list)


def _district_names(municipality_code: str) -> dict[str, str]:
    """District names as CBS publishes them in the income table (semicolons, title lines on top)."""
    names: dict[str, str] = {}
    in_municipality = False
    with data_path("cbs", "inkomen_per_wijk_2020_indeling2023.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.reader(handle, delimiter=";"):
            if len(row) < 3:
                continue
            if row[0].startswith("GM"):
                in_municipality = row[0] == municipality_code
            elif in_municipality and row[1].startswith("WK"):
                names[row[1]] = row[2].strip()
    return names


@transaction.atomic
def import_municipality(cbs_code: str, *, positioning: str | None = None) -> tuple[Municipality, ImportReport]:
    """Create or update the municipality, its districts (wijken), their boundaries and the
    postcode-to-district mapping. Running it twice changes nothing."""
    report = ImportReport()
    kwb = json.loads(data_path("cbs", "kwb2024_selectie.json").read_text("utf-8"))
    boundaries = json.loads(
        data_path("geo", "wijken_2024_leeuwarden_helmond_barneveld_woerden_heerenveen.geojson").read_text("utf-8")
    )
    municipalities = json.loads(data_path("geo", "gemeenten_2025.geojson").read_text("utf-8"))
    name = next(
        (f["properties"]["statnaam"] for f in municipalities["features"] if f["properties"]["statcode"] == cbs_code),
        None,
    )
    if name is None:
        raise ValueError(f"Unknown municipality code {cbs_code}")
    defaults = {"name": name}
    if positioning:
        defaults["positioning"] = positioning
    municipality, _ = Municipality.objects.update_or_create(cbs_code=cbs_code, defaults=defaults)

    prefix = "WK" + cbs_code[2:]
    names = _district_names(cbs_code)
    shapes = {
        f["properties"]["statcode"]: f
        for f in boundaries["features"]
        if f["properties"]["statcode"].startswith(prefix)
    }
    codes = sorted(set(names) | set(shapes) | {code for code in kwb if code.startswith(prefix)})
    for code in codes:
        district_name = names.get(code) or (shapes[code]["properties"]["statnaam"] if code in shapes else None)
        if not district_name:
            report.skipped.append(f"{code}: no name in the CBS files")
            continue
        inhabitants = kwb.get(code, {}).get("AantalInwoners_5")
        area, _ = Area.objects.update_or_create(
            cbs_code=code,
            defaults={
                "municipality": municipality,
                "kind": AreaKind.WIJK,
                "name": district_name,
                "inhabitants": inhabitants,
                "inhabitants_source": KWB_SOURCE if inhabitants is not None else "",
            },
        )
        report.districts += 1
        if code in shapes:
            AreaBoundary.objects.update_or_create(
                area=area, defaults={"geometry": shapes[code]["geometry"], "source": BOUNDARY_SOURCE}
            )
            report.boundaries += 1
        else:
            report.skipped.append(f"{code}: no boundary")

    _map_postcodes(municipality, name, shapes, report)
    return municipality, report


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
