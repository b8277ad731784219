"""The shared PDF and export helpers: Dutch characters survive, files open."""

import io

from django.template import engines
from openpyxl import load_workbook
from pypdf import PdfReader

from wijkteam.exports import csv_response, xlsx_response
from wijkteam.pdf import pdf_response, render_pdf


def test_pdf_keeps_dutch_characters(tmp_path, settings):
    template = tmp_path / "letter.html"
    template.write_text(
        '{% extends "wijkteam/pdf_base.html" %}{% block content %}<h1>{{ title }}</h1>{% endblock %}', "utf-8"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    engines._engines = {}
    try:
        pdf = render_pdf("letter.html", {"title": "Verslag voor mevrouw Zoë van IJsselstein uit Nijlân: ĳs"})
    finally:
        engines._engines = {}
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Zoë" in text and "Nijlân" in text and "ĳs" in text
    response = pdf_response(pdf, "verslag.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"


def test_csv_is_semicolon_separated_with_bom():
    response = csv_response("wijken.csv", ["Wijk", "Aantal"], [["Nijlân & De Zwette", "< 10"]])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffWijk;Aantal\r\n")
    assert "Nijlân & De Zwette;< 10" in body


def test_xlsx_opens_with_one_sheet_per_table():
    response = xlsx_response("cijfers.xlsx", {"Wijken": (["Wijk", "Inwoners"], [["Goutum", 3355]])})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Wijken"]
    assert [c.value for c in workbook["Wijken"][2]] == ["Goutum", 3355]
