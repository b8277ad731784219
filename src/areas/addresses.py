"""Import CBS's "Buurt, wijk en gemeente voor postcode huisnummer" file: one row per address, e.g.

    PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024
    8932AB;120;00804100;008041;0080

Semicolons (or commas), with or without quotes; the year in the column names may differ; codes
with or without their ``BU``/``WK``/``GM`` prefix. Rows of districts Wijkteam does not know (other
municipalities) are counted and skipped."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import AddressPoint, Area, AreaKind

BATCH = 5000


@dataclass
class AddressReport:
    imported: int = 0
    skipped: int = 0
    unknown_districts: set[str] = field(default_factory=set)


def _column(header: list[str], prefix: str) -> int:
    for n, name in enumerate(header):
        if re.fullmatch(rf"{prefix}(\d{{4}})?", name.strip().strip('"'), flags=re.IGNORECASE):
            return n
    raise ValueError(f"The file has no column {prefix}: {header}")


def _wijk_code(value: str) -> str:
    digits = value.strip().upper().removeprefix("WK")
    return f"WK{digits.zfill(6)}" if digits.isdigit() else ""


def import_addresses(path: Path, *, source: str = "") -> AddressReport:
    report = AddressReport()
    districts = dict(Area.objects.filter(kind=AreaKind.WIJK).values_list("cbs_code", "pk"))
    source = source or f"CBS, postcode-huisnummer-wijk-buurt ({path.name})"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=";" if sample.count(";") >= sample.count(",") else ",")
        header = next(reader)
        pc, number, wijk = _column(header, "PC6"), _column(header, "Huisnummer"), _column(header, "Wijk")
        batch: list[AddressPoint] = []
        for row in reader:
            if len(row) <= max(pc, number, wijk):
                report.skipped += 1
                continue
            postcode = row[pc].replace(" ", "").upper()
            code = _wijk_code(row[wijk])
            if not re.fullmatch(r"\d{4}[A-Z]{2}", postcode) or not row[number].strip().isdigit():
                report.skipped += 1
                continue
            if code not in districts:
                report.skipped += 1
                report.unknown_districts.add(code)
                continue
            batch.append(
                AddressPoint(postcode=postcode, huisnummer=int(row[number]), area_id=districts[code], source=source)
            )
            if len(batch) >= BATCH:
                report.imported += _save(batch)
                batch = []
        report.imported += _save(batch)
    return report


@transaction.atomic
def _save(batch: list[AddressPoint]) -> int:
    if batch:
        AddressPoint.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["postcode", "huisnummer"], update_fields=["area", "source"]
        )
    return len(batch)
