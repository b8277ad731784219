"""Read CBS's *Kerncijfers wijken en buurten* (KWB) as a municipality downloads it, for any year.

Accepted shapes (the column keys are CBS's own, e.g. ``AantalInwoners_5``):

- JSON keyed by region code: ``{"GM0080": {"AantalInwoners_5": 128810, ...}, "WK008041": {...}}``
  (the selection shipped in ``data/cbs/``);
- JSON rows as CBS's open-data API gives them: a list, or ``{"value": [...]}``, each row with
  ``WijkenEnBuurten`` (the code, or the name), ``Codering_3`` (the code), ``SoortRegio_2``,
  ``Gemeentenaam_1`` and the figure columns;
- CSV with those keys as header, separated by ``;`` or ``,``, values quoted or padded as CBS writes them.

Names of districts come from the file (a ``WijkenEnBuurten`` or ``Title`` that is not a code), else from
a regions file (CBS's ``WijkenEnBuurten`` dimension: ``[{"Key": "WK008041", "Title": "..."}]``) or a
GeoJSON with ``statcode``/``statnaam``. A ``null``, an empty cell and CBS's ``.`` all mean "not
published": the value is ``None``. Table title, identifier and year come from CBS's ``TableInfos`` and
labels from ``DataProperties`` when those files lie beside the data (``*TableInfos*.json``,
``*DataProperties*.json``), else the year from the file name or the caller.

Nothing here touches the database; ``KwbRefused`` names the file, the line and the reason.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

CODE = re.compile(r"^(GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
NOT_PUBLISHED = {"", "."}
# Columns that describe the region rather than hold a figure (CBS renames some between years).
TEXT_COLUMNS = (
    "ID",
    "WijkenEnBuurten",
    "Title",
    "Naam",
    "Gemeentenaam",
    "SoortRegio",
    "Codering",
    "Indelingswijziging",
    "MeestVoorkomendePostcode",
)


class KwbRefused(ValueError):
    """A file that is not a KWB table. Nothing of it is imported."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class Region:
    code: str
    name: str
    values: dict[str, Decimal | None]
    line: int | None = None

    @property
    def kind(self) -> str:
        return self.code[:2]

    @property
    def municipality_code(self) -> str:
        return "GM" + self.code[2:6]

    @property
    def district_code(self) -> str:
        return "WK" + self.code[2:8]


@dataclass
class KwbTable:
    file: str  # the real file name
    title: str
    table: str  # CBS's identifier (85984NED), else the title
    year: int
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"CBS, {self.title} ({self.table}), CC BY 4.0" if self.table != self.title else f"CBS, {self.title}"

    def of(self, municipality_code: str, kind: str | None = None) -> list[Region]:
        return [
            r for r in self.regions if r.municipality_code == municipality_code and (kind is None or r.kind == kind)
        ]

    def municipality_name(self, municipality_code: str) -> str | None:
        region = next((r for r in self.regions if r.code == municipality_code), None)
        return region.name if region and region.name != region.code else None


def _is_text_column(key: str) -> bool:
    return any(key.startswith(prefix) for prefix in TEXT_COLUMNS)


def _value(raw, file: str, line: int | None, code: str, key: str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise KwbRefused(file, line, f"{code}: {key} is {raw!r}, not a number")
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    if isinstance(raw, str):
        text = raw.strip()
        if text in NOT_PUBLISHED:
            return None
        try:
            return Decimal(text.replace(",", "."))
        except InvalidOperation:
            pass
    raise KwbRefused(file, line, f"{code}: {key} is {raw!r}, not a number")


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _sibling(path: Path, kind: str) -> Path | None:
    """CBS's metadata file that lies beside the data (``kwb2024_TableInfos.json``)."""
    stem = path.stem.split("_")[0]
    candidates = sorted(path.parent.glob(f"*{kind}*.json"))
    return next((c for c in candidates if c.name.startswith(stem)), None)


def _read_text(path: Path, file: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KwbRefused(file, None, "file not found") from None
    except UnicodeDecodeError as error:
        raise KwbRefused(file, None, f"not UTF-8 text ({error.reason})") from None


def _load_json(path: Path, file: str):
    text = _read_text(path, file)
    try:
        return json.loads(text), text
    except json.JSONDecodeError as error:
        raise KwbRefused(file, error.lineno, f"not valid JSON: {error.msg}") from None


def _rows_from_csv(text: str) -> list[tuple[int, dict]]:
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, row) for row in reader]


def read_names(path: Path) -> dict[str, str]:
    """Region names from CBS's ``WijkenEnBuurten`` dimension (Key/Title) or a GeoJSON (statcode/statnaam)."""
    data, _ = _load_json(path, path.name)
    if isinstance(data, dict) and "features" in data:
        return {
            f["properties"]["statcode"].strip(): f["properties"]["statnaam"].strip()
            for f in data["features"]
            if f.get("properties", {}).get("statcode") and f["properties"].get("statnaam")
        }
    rows = data.get("value", []) if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise KwbRefused(path.name, 1, "expected a list of regions with Key and Title")
    return {str(r.get("Key", "")).strip(): str(r.get("Title", "")).strip() for r in rows if isinstance(r, dict)}


def _year_from_name(name: str) -> int | None:
    match = re.search(r"(20\d{2})", name)
    return int(match.group(1)) if match else None


def read_kwb(
    path: Path,
    *,
    names: dict[str, str] | None = None,
    year: int | None = None,
    display_name: str | None = None,
) -> KwbTable:
    """The whole file, checked before anything is written."""
    file = display_name or path.name
    names = names or {}
    tables = _sibling(path, "TableInfos")
    properties = _sibling(path, "DataProperties")
    info = _load_json(tables, tables.name)[0][0] if tables else {}
    if info:
        title, table, year = info["Title"], info["Identifier"], year or int(str(info["Period"])[:4])
    else:
        year = year or _year_from_name(path.name)
        if year is None:
            raise KwbRefused(file, None, "no year: name it in the file name (kwb-2025.csv) or pass --year")
        title = table = f"Kerncijfers wijken en buurten {year}"
    result = KwbTable(file=file, title=title, table=table, year=year)
    if properties:
        for prop in _load_json(properties, properties.name)[0]:
            if prop.get("Type") == "Topic":
                result.labels[prop["Key"]] = prop["Title"]
                result.units[prop["Key"]] = prop.get("Unit") or ""

    if path.suffix.lower() == ".json":
        data, text = _load_json(path, file)
        if isinstance(data, dict) and "value" not in data:
            rows = []
            for code, values in data.items():
                if not isinstance(values, dict):
                    raise KwbRefused(file, _line_of(text, f'"{code}"'), f"{code}: expected an object of columns")
                rows.append((_line_of(text, f'"{code}"'), {"Codering_3": code, **values}))
        else:
            items = data.get("value") if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise KwbRefused(file, 1, "expected rows of regions or an object keyed by CBS region code")
            rows = [(None, row) for row in items]
    else:
        rows = _rows_from_csv(_read_text(path, file))

    seen: set[str] = set()
    for line, row in rows:
        if not isinstance(row, dict):
            raise KwbRefused(file, line, "expected an object of columns")
        key = str(row.get("WijkenEnBuurten") or "").strip()
        code = str(row.get("Codering_3") or "").strip() or key
        if code.startswith("NL"):
            continue  # the national total
        if not CODE.match(code):
            raise KwbRefused(file, line, f"{code!r} is not a CBS region code (GM…, WK…, BU…)")
        if code in seen:
            raise KwbRefused(file, line, f"{code} appears twice")
        seen.add(code)
        name = str(row.get("Title") or row.get("Naam") or "").strip()
        if not name and key and not CODE.match(key):
            name = key
        if not name and code.startswith("GM"):
            name = str(row.get("Gemeentenaam_1") or "").strip()
        name = name or names.get(code, "")
        values = {}
        for column, raw in row.items():
            if column is None or _is_text_column(column):
                continue
            if result.labels and column not in result.labels:
                raise KwbRefused(file, line, f"{code}: column {column!r} is not in CBS's description of the table")
            values[column] = _value(raw, file, line, code, column)
        result.regions.append(Region(code=code, name=name, values=values, line=line))
    return result
