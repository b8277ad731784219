"""Import neighbourhood figures from the public files in ``data/`` as they are published.

Each reader checks the whole file before anything is written: a malformed file is refused with
its line and the reason (``ImportRefused``). A value CBS did not publish (``null`` or its ``.``) is
kept with an empty value, shown as "not published", and counted. Rows that carry no figure of ours (a
region outside this installation, a total row) are skipped and counted with their reason. Storing
compares with what is there, so a second run changes nothing.

| file | source, table, year |
|---|---|
| cbs/kwb2024_selectie.json (+ kwb2024_kolommen_DataProperties.json, kwb2024_TableInfos.json) | CBS 85984NED, 2024 |
| any KWB file a municipality downloads (``kwb_file``; see ``areas.kwb``) | as its TableInfos or name says |
| cbs/inkomen_per_wijk_2020_indeling2023.csv | CBS IIV, income per municipality and district, 2020 |
| cbs/pc4_inwoners_2021.csv, cbs/pc4_inwoners_naar_leeftijd_2021.csv | CBS 83502NED, 2021 |
| gezondheid/heerenveen_gebiedsscans_2019.csv | Gemeente Heerenveen, gebiedsscans 2019 |
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from areas import kwb
from areas.models import Area, Municipality
from wijkteam.reference import DATA_DIR

from .models import Figure, RegionKind

KWB_FILE = "cbs/kwb2024_selectie.json"
INCOME_FILE = "cbs/inkomen_per_wijk_2020_indeling2023.csv"
PC4_FILE = "cbs/pc4_inwoners_2021.csv"
PC4_AGE_FILE = "cbs/pc4_inwoners_naar_leeftijd_2021.csv"
SCAN_FILE = "gezondheid/heerenveen_gebiedsscans_2019.csv"
FILES = (KWB_FILE, INCOME_FILE, PC4_FILE, PC4_AGE_FILE, SCAN_FILE)

PC4_TABLE = "83502NED, Bevolking per viercijferige postcode op 1 januari 2021"
SCAN_MUNICIPALITY = "GM0074"
SCAN_SOURCE = "Gemeente Heerenveen, gebiedsscans"
SCAN_TABLE = "Gebiedsscans Heerenveen 2019"
SENIOR_AGE = 65
INHABITANTS = "AantalInwoners_5"

COMPARED = ("value", "count", "reference_value", "label", "unit", "region_name", "source", "file", "area_id")


class ImportRefused(Exception):
    """A file that is not what it should be. Nothing of it is imported."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class FileReport:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_published: int = 0  # stored as "not published" (CBS's null or '.')
    skipped: Counter = field(default_factory=Counter)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def skip(self, reason: str, rows: int = 1) -> None:
        self.skipped[reason] += rows


@dataclass
class Scope:
    """The municipalities of this installation: figures of other regions are skipped."""

    municipalities: dict[str, Municipality]  # by CBS code
    areas: dict[str, Area]  # districts by CBS code

    @classmethod
    def of(cls, codes: list[str] | None = None) -> "Scope":
        municipalities = Municipality.objects.all()
        if codes:
            municipalities = municipalities.filter(cbs_code__in=codes)
        by_code = {m.cbs_code: m for m in municipalities}
        areas = {a.cbs_code: a for a in Area.objects.filter(municipality__in=by_code.values())}
        return cls(by_code, areas)

    def by_name(self, name: str) -> Municipality | None:
        return next((m for m in self.municipalities.values() if m.name == name), None)


def number(text: str, file: str, line: int) -> Decimal:
    """A Dutch number as CBS writes it: decimal comma, no thousands separator."""
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ImportRefused(file, line, f"{text!r} is not a number") from None


def _read_text(file: str, base: Path) -> str:
    path = base / file
    if not path.exists():
        raise ImportRefused(file, None, "file not found")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(file, None, f"not UTF-8 text ({error.reason})") from None


def _csv_rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


# --- CBS Kerncijfers wijken en buurten ----------------------------------------------------------


def read_kwb(
    path: Path, scope: Scope, report: FileReport, *, display_name: str | None = None, year: int | None = None
) -> list[Figure]:
    """Every figure of the municipalities here, as ``areas.kwb`` reads the file (any year, JSON or CSV).
    A value CBS did not publish (``null`` or ``.``) is kept as such, so the page can say so."""
    try:
        table = kwb.read_kwb(path, display_name=display_name, year=year)
    except kwb.KwbRefused as error:
        raise ImportRefused(error.file, error.line, error.reason) from None
    figures = []
    for region in table.regions:
        if region.municipality_code not in scope.municipalities:
            report.skip("municipality not in this installation", len(region.values))
            continue
        if region.kind == "BU":
            report.skip("neighbourhood (buurt): not shown yet", len(region.values))
            continue
        area = scope.areas.get(region.code)
        municipality = scope.municipalities[region.municipality_code]
        for key, value in region.values.items():
            if value is None:
                report.not_published += 1
            figures.append(
                Figure(
                    region_kind=RegionKind.GEMEENTE if region.kind == "GM" else RegionKind.WIJK,
                    region_code=region.code,
                    region_name=municipality.name if region.kind == "GM" else (area.name if area else region.name),
                    municipality_code=region.municipality_code,
                    area=area,
                    indicator=key,
                    label=table.labels.get(key, key),
                    unit=table.units.get(key, ""),
                    value=value,
                    source=table.source,
                    table=table.table,
                    year=table.year,
                    file=table.file,
                )
            )
    return figures


# --- CBS income per municipality and district ---------------------------------------------------

INCOME_HEADER = ["Gemeentecode", "Wijkcode", "Regionaam"]
INCOME_INDICATORS = ("inkomen_gemiddeld_per_inwoner", "huishoudens_laagste_40pct", "huishoudens_hoogste_20pct")


def read_income(base: Path, scope: Scope, report: FileReport) -> list[Figure]:
    text = _read_text(INCOME_FILE, base)
    rows = _csv_rows(text, ";")
    header_at = next((i for i, row in enumerate(rows) if row[:3] == INCOME_HEADER), None)
    if header_at is None:
        raise ImportRefused(INCOME_FILE, None, "no header line 'Gemeentecode;Wijkcode;Regionaam'")
    title = " ".join(row[0].strip() for row in rows[:header_at] if row and row[0].strip() and not any(row[1:]))
    year_match = re.search(r"(\d{4})\s*$", title.split("Gemeentelijke indeling")[0].strip())
    if not year_match:
        raise ImportRefused(INCOME_FILE, 1, "the title lines name no year")
    year = int(year_match.group(1))
    # Column names span the lines above the header; units are on the first line below it that has them.
    labels = [
        " ".join(row[col].strip() for row in rows[:header_at] if len(row) > col and row[col].strip())
        for col in (3, 4, 5)
    ]
    units_at = next((i for i in range(header_at + 1, len(rows)) if len(rows[i]) > 3 and rows[i][3].strip()), None)
    units = [rows[units_at][col].strip() for col in (3, 4, 5)] if units_at else ["", "", ""]
    units = [unit or (units[i - 1] if i else "") for i, unit in enumerate(units)]  # CBS leaves a repeated unit blank
    footer = next((row[0] for row in rows if row and row[0].startswith("Bron:")), "")
    source = footer.removeprefix("Bron:").strip() or "CBS"
    table = (
        f"Inkomen per gemeente en wijk {year} (gemeentelijke indeling {title.split('indeling van')[-1].strip()[:4]})"
    )

    figures = []
    municipality: str | None = None
    for index in range(header_at + 1, len(rows)):
        row, line = rows[index], index + 1
        if not any(cell.strip() for cell in row) or (row[0].startswith("Bron:")) or index == units_at:
            continue
        if len(row) != 6:
            raise ImportRefused(INCOME_FILE, line, f"expected 6 fields separated by semicolons, found {len(row)}")
        code, district, name = row[0].strip(), row[1].strip(), row[2].strip()
        if code == "Nederland":
            report.skip("national total")
            continue
        if code.startswith("GM"):
            if district != "Totaal" or not re.fullmatch(r"GM\d{4}", code):
                raise ImportRefused(INCOME_FILE, line, f"municipality row {code!r} should have 'Totaal' as district")
            municipality, region_code = code, code
        elif not code and re.fullmatch(r"WK\d{4}[0-9A-Z]{2}", district):
            if municipality is None:
                raise ImportRefused(INCOME_FILE, line, f"district {district} before any municipality row")
            if district[2:6] != municipality[2:6]:
                raise ImportRefused(INCOME_FILE, line, f"district {district} does not belong to {municipality}")
            region_code = district
        else:
            raise ImportRefused(INCOME_FILE, line, f"neither a municipality nor a district: {';'.join(row[:3])!r}")
        values = [cell.strip() for cell in row[3:6]]
        parsed = [None if value == "." else number(value, INCOME_FILE, line) for value in values]
        if municipality not in scope.municipalities:
            report.skip("municipality not in this installation", 3)
            continue
        area = scope.areas.get(region_code)
        for indicator, label, unit, value in zip(INCOME_INDICATORS, labels, units, parsed, strict=True):
            if value is None:
                report.not_published += 1  # CBS's '.': kept, and shown as not published
            figures.append(
                Figure(
                    region_kind=RegionKind.WIJK if region_code.startswith("WK") else RegionKind.GEMEENTE,
                    region_code=region_code,
                    region_name=name,
                    municipality_code=municipality,
                    area=area,
                    indicator=indicator,
                    label=label,
                    unit=unit,
                    value=value,
                    source=source,
                    table=table,
                    year=year,
                    file=INCOME_FILE,
                )
            )
    return figures


# --- CBS inhabitants per four-digit postcode ----------------------------------------------------

PC4_HEADER = [
    "postcode",
    "inwoners",
    "inwoners_man",
    "inwoners_vrouw",
    "plaats",
    "gemeente",
    "provincie",
    "nuts3",
    "ggdregio",
]
PC4_LABELS = {"inwoners": "Inwoners", "inwoners_man": "Mannen", "inwoners_vrouw": "Vrouwen"}
AGE_HEADER = ["postcode", "leeftijd", "inwoners", "inwoners_man", "inwoners_vrouw"]


def _integer(text: str, file: str, line: int) -> int | None:
    """A count; empty means CBS did not publish it (too small or secret)."""
    if not text.strip():
        return None
    if not re.fullmatch(r"\d+", text.strip()):
        raise ImportRefused(file, line, f"{text!r} is not a whole number")
    return int(text)


def read_pc4(base: Path, scope: Scope, report: FileReport) -> tuple[list[Figure], dict[str, str]]:
    """Figures per postcode, and the postcodes in scope with their municipality code."""
    rows = _csv_rows(_read_text(PC4_FILE, base), ",")
    if not rows or rows[0] != PC4_HEADER:
        raise ImportRefused(PC4_FILE, 1, f"expected the header {','.join(PC4_HEADER)}")
    figures, postcodes = [], {}
    seen: dict[str, int] = {}
    for index, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(PC4_HEADER):
            raise ImportRefused(PC4_FILE, index, f"expected {len(PC4_HEADER)} fields, found {len(row)}")
        postcode = row[0].strip()
        counts = {key: _integer(row[col], PC4_FILE, index) for col, key in enumerate(PC4_HEADER[1:4], start=1)}
        if not postcode.isdigit():
            raise ImportRefused(PC4_FILE, index, f"{postcode!r} is not a postcode")
        if len(postcode) < 4:
            report.skip("total of a two- or three-digit postcode region", 3)
            continue
        if postcode in seen:
            raise ImportRefused(PC4_FILE, index, f"postcode {postcode} also on line {seen[postcode]}")
        seen[postcode] = index
        municipality = scope.by_name(row[5].strip())
        if municipality is None:
            report.skip("municipality not in this installation", 3)
            continue
        postcodes[postcode] = municipality.cbs_code
        for key, value in counts.items():
            if value is None:
                report.skip("not published by CBS (empty)")
                continue
            figures.append(
                _pc4_figure(postcode, row[4].strip(), municipality.cbs_code, key, PC4_LABELS[key], value, PC4_FILE)
            )
    return figures, postcodes


def read_pc4_age(base: Path, postcodes: dict[str, str], report: FileReport) -> list[Figure]:
    """Inhabitants of 65 and older per postcode: the sum of the five-year bands from 65-69 to 95+."""
    rows = _csv_rows(_read_text(PC4_AGE_FILE, base), ",")
    if not rows or rows[0] != AGE_HEADER:
        raise ImportRefused(PC4_AGE_FILE, 1, f"expected the header {','.join(AGE_HEADER)}")
    seniors: dict[str, int] = {}
    incomplete: set[str] = set()
    for index, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(AGE_HEADER):
            raise ImportRefused(PC4_AGE_FILE, index, f"expected {len(AGE_HEADER)} fields, found {len(row)}")
        postcode, band = row[0].strip(), row[1].strip()
        match = re.fullmatch(r"(\d+)(?:-(\d+)|\+)", band)
        if not match:
            raise ImportRefused(PC4_AGE_FILE, index, f"{band!r} is not an age band like 65-69 or 95+")
        count = _integer(row[2], PC4_AGE_FILE, index)
        if postcode not in postcodes:
            report.skip(
                "postcode not in a municipality of this installation"
                if len(postcode) == 4
                else "total of a two- or three-digit postcode region"
            )
            continue
        if int(match.group(1)) >= SENIOR_AGE:
            if count is None:
                incomplete.add(postcode)
            seniors[postcode] = seniors.get(postcode, 0) + (count or 0)
        else:
            seniors.setdefault(postcode, 0)
            report.skip("age band below 65 (only 65+ is kept)")
    for postcode in incomplete:
        report.skip("65+ not derived: an age band of 65 or over is not published")
        seniors.pop(postcode, None)
    return [
        _pc4_figure(
            postcode, "", postcodes[postcode], "inwoners_65plus", "Inwoners van 65 jaar en ouder", count, PC4_AGE_FILE
        )
        for postcode, count in seniors.items()
    ]


def _pc4_figure(
    postcode: str, place: str, municipality_code: str, indicator: str, label: str, value: int, file: str
) -> Figure:
    return Figure(
        region_kind=RegionKind.POSTCODE,
        region_code=postcode,
        region_name=f"{postcode} {place}".strip(),
        municipality_code=municipality_code,
        indicator=indicator,
        label=label,
        unit="aantal",
        value=Decimal(value),
        source="CBS, Bevolking per viercijferige postcode, CC BY 4.0",
        table=PC4_TABLE,
        year=2021,
        file=file,
    )


# --- Heerenveen area scans ----------------------------------------------------------------------

SCAN_HEADER = ["gebied", "sectie", "indicator", "waarde_gebied", "gemiddelde_heerenveen", "aantal"]
NO_VALUE = {"", "--", "?", "?%", "+", "-"}


def _scan_value(text: str, line: int) -> tuple[Decimal, str] | None:
    text = text.strip()
    if text in NO_VALUE:
        return None
    if match := re.fullmatch(r"(\d+(?:,\d+)?)%", text):
        return number(match.group(1), SCAN_FILE, line), "%"
    if match := re.fullmatch(r"Cijfer(\d+(?:,\d+)?)", text):
        return number(match.group(1), SCAN_FILE, line), "rapportcijfer"
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return Decimal(text.replace(".", "")), "getal"
    if re.fullmatch(r"\d+(?:,\d+)?", text):
        return number(text, SCAN_FILE, line), "getal"
    raise ImportRefused(SCAN_FILE, line, f"{text!r} is neither a percentage, a grade nor a number")


def read_scans(base: Path, scope: Scope, report: FileReport) -> list[Figure]:
    rows = _csv_rows(_read_text(SCAN_FILE, base), ",")
    if not rows or rows[0] != SCAN_HEADER:
        raise ImportRefused(SCAN_FILE, 1, f"expected the header {','.join(SCAN_HEADER)}")
    municipality = scope.municipalities.get(SCAN_MUNICIPALITY)
    areas = {a.name.lower(): a for a in scope.areas.values() if a.cbs_code.startswith("WK" + SCAN_MUNICIPALITY[2:])}
    figures: list[Figure] = []
    seen: dict[tuple[str, str], int] = {}
    parent = ""
    for index, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(SCAN_HEADER):
            raise ImportRefused(SCAN_FILE, index, f"expected {len(SCAN_HEADER)} fields, found {len(row)}")
        area_name, section, indicator = (cell.strip() for cell in row[:3])
        if not area_name or not indicator:
            raise ImportRefused(SCAN_FILE, index, "no area or no indicator")
        is_part = indicator.startswith("-")
        label = indicator.lstrip("- ").strip()
        if is_part and parent:
            label = f"{parent.removesuffix(', waarvan:')}: {label}"  # "WMO, waarvan:" then "- Huishoudelijke hulp"
        elif not is_part:
            parent = indicator
            label = indicator.removesuffix(", waarvan:")
        key = slugify(f"{section} {label}")[:120]
        if (area_name, key) in seen:
            raise ImportRefused(SCAN_FILE, index, f"{area_name} / {label} also on line {seen[(area_name, key)]}")
        seen[(area_name, key)] = index
        value = _scan_value(row[3], index)
        reference = _scan_value(row[4], index)
        count_text = row[5].strip().replace(" ", "")
        if count_text and count_text not in NO_VALUE and not re.fullmatch(r"<\d+|\d{1,3}(\.\d{3})*", count_text):
            raise ImportRefused(SCAN_FILE, index, f"number {row[5]!r} is not a whole number or '<10'")
        if municipality is None:
            report.skip("municipality Heerenveen (GM0074) not in this installation")
            continue
        if value is None:
            report.skip(f"no value published ({row[3].strip() or 'empty'})")
            continue
        count = int(count_text.replace(".", "")) if count_text and count_text[0].isdigit() else None
        figures.append(
            Figure(
                region_kind=RegionKind.GEBIED,
                region_code=f"{SCAN_MUNICIPALITY}:{area_name}",
                region_name=area_name,
                municipality_code=SCAN_MUNICIPALITY,
                area=areas.get(area_name.lower()),
                indicator=key,
                label=f"{section}: {label}",
                unit=value[1],
                value=value[0],
                count=count,
                reference_value=reference[0] if reference else None,
                source=SCAN_SOURCE,
                table=SCAN_TABLE,
                year=2019,
                file=SCAN_FILE,
            )
        )
    return figures


# --- storing ------------------------------------------------------------------------------------


def store(figures: list[Figure], report: FileReport) -> None:
    """Create new figures, update changed ones, leave equal ones alone."""
    if not figures:
        return
    keys = {(f.region_code, f.indicator, f.table, f.year) for f in figures}
    existing = {
        (f.region_code, f.indicator, f.table, f.year): f
        for f in Figure.objects.filter(
            region_code__in={k[0] for k in keys}, table__in={k[2] for k in keys}, year__in={k[3] for k in keys}
        )
    }
    new, changed = [], []
    now = timezone.now()
    for figure in figures:
        old = existing.get((figure.region_code, figure.indicator, figure.table, figure.year))
        if old is None:
            figure.imported_at = now
            new.append(figure)
            continue
        if all(_same(getattr(old, name), getattr(figure, name)) for name in COMPARED):
            report.unchanged += 1
            continue
        for name in (*COMPARED, "region_kind", "municipality_code"):
            setattr(old, name, getattr(figure, name))
        old.imported_at = now
        changed.append(old)
    Figure.objects.bulk_create(new, batch_size=500)
    Figure.objects.bulk_update(changed, [*COMPARED, "region_kind", "municipality_code", "imported_at"], batch_size=500)
    report.created += len(new)
    report.updated += len(changed)


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return a is not None and b is not None and Decimal(a) == Decimal(b)
    return a == b


def import_figures(
    *,
    municipalities: list[str] | None = None,
    base: Path | None = None,
    kwb_file: Path | None = None,
    year: int | None = None,
) -> list[FileReport]:
    """Read every file, then store: a refused file leaves the database as it was. With ``kwb_file``
    only that KWB file (as the municipality downloaded it) is read, under its own name."""
    base = base or DATA_DIR
    scope = Scope.of(municipalities)
    if not scope.municipalities:
        raise ImportRefused("", None, "no municipality in this installation: run import_areas first")
    if kwb_file is not None:
        report = FileReport(kwb_file.name)
        figures = read_kwb(kwb_file, scope, report, year=year)
        with transaction.atomic():
            store(figures, report)
            _link_areas(scope)
        return [report]
    reports = {file: FileReport(file) for file in FILES}
    read: dict[str, list[Figure]] = {
        KWB_FILE: read_kwb(base / KWB_FILE, scope, reports[KWB_FILE], display_name=KWB_FILE),
        INCOME_FILE: read_income(base, scope, reports[INCOME_FILE]),
    }
    read[PC4_FILE], postcodes = read_pc4(base, scope, reports[PC4_FILE])
    read[PC4_AGE_FILE] = read_pc4_age(base, postcodes, reports[PC4_AGE_FILE])
    read[SCAN_FILE] = read_scans(base, scope, reports[SCAN_FILE])
    with transaction.atomic():
        for file, figures in read.items():
            store(figures, reports[file])
        _link_areas(scope)
    return list(reports.values())


def _link_areas(scope: Scope) -> None:
    """Figures of a district stored before the district was here get their area; each district's
    inhabitants are those of its latest published count."""
    orphans = list(
        Figure.objects.filter(area__isnull=True, region_code__in=scope.areas, region_kind=RegionKind.WIJK).only(
            "pk", "region_code"
        )
    )
    for figure in orphans:
        figure.area = scope.areas[figure.region_code]
    Figure.objects.bulk_update(orphans, ["area"], batch_size=500)
    latest: dict[int, Figure] = {}
    for figure in Figure.objects.filter(area__in=scope.areas.values(), indicator=INHABITANTS).order_by("year"):
        latest[figure.area_id] = figure
    for area in scope.areas.values():
        figure = latest.get(area.pk)
        if figure is None:
            continue
        inhabitants = int(figure.value) if figure.value is not None else None
        source = figure.provenance if inhabitants is not None else ""
        if (area.inhabitants, area.inhabitants_source) != (inhabitants, source):
            area.inhabitants, area.inhabitants_source = inhabitants, source
            area.save(update_fields=["inhabitants", "inhabitants_source"])
