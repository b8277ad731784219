"""Tabular exports as CSV (semicolons and a byte-order mark, as Dutch Excel expects) and XLSX.

Callers decide what goes in (aggregates with suppression for policy users) and log the export.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

Row = Sequence[object]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(filename: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return _download(buffer.getvalue().encode("utf-8"), filename, "text/csv; charset=utf-8")


def xlsx_response(filename: str, sheets: dict[str, tuple[Row, Iterable[Row]]]) -> HttpResponse:
    """One worksheet per entry: ``{"Wijken": (header, rows)}``. Sheet titles are cut to 31 characters."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(buffer.getvalue(), filename, XLSX_TYPE)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
