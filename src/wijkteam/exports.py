"""Tabular exports as CSV (semicolons and a byte-order mark, as Dutch Excel expects) and XLSX.

Callers decide what goes in (aggregates with suppression for policy users) and log the export.
Every export goes through here (a test checks that nothing else writes CSV or XLSX), and so through
``neutralise``: a text that a spreadsheet would run as a formula (formula or CSV injection: a name
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, such as an initiative called
``=HYPERLINK(...)``) is made inert. In CSV it gets a leading apostrophe, which ``restore`` takes off
again when we read our own export back (the social map's import); in XLSX it stays as it is, stored
as text with Excel's quote prefix, so it shows as typed and never runs. Numbers stay numbers: ``-12``
and ``-1.250,50`` are not touched, nor is the lone dash of a figure that does not apply.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

Row = Sequence[object]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d[\d.,]*\Z")


def _runs(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` (or it looks like one of ours made inert)."""
    if not text or NUMBER.match(text) or text == "-":  # a number, or our dash for "not applicable"
        return False
    return text[0] in FORMULA_START or (text[0] == "'" and text.lstrip("'")[:1] in FORMULA_START)


def neutralise(value: object) -> object:
    """A CSV cell as it may be written: a text a spreadsheet would run gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and _runs(value) else value


def restore(text: str) -> str:
    """A CSV cell read back as it was before ``neutralise`` (for imports of our own exports)."""
    return text[1:] if text.startswith("'") and _runs(text) else text


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return _download(buffer.getvalue().encode("utf-8"), filename, "text/csv; charset=utf-8")


def xlsx_response(filename: str, sheets: dict[str, tuple[Row, Iterable[Row]]]) -> HttpResponse:
    """One worksheet per entry: ``{"Wijken": (header, rows)}``. Sheet titles are cut to 31 characters."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        _append(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            _append(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(buffer.getvalue(), filename, XLSX_TYPE)


def _append(sheet, row: Row) -> None:
    """A row of cells; a text a spreadsheet would run is kept as text (openpyxl makes a formula of
    any text that starts with "="), with Excel's quote prefix so that editing it does not run it."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and _runs(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
