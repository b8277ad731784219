"""Every page in Dutch reads as Dutch readers read it (issue 23): every number and amount goes
through one filter (``wijkteam.numbers``: "12.500", "€ 1.962,17"), every date is Dutch
("7 december 2026": no English month or weekday, no ISO date such as 2026-12-07).

The pages are those of the URL-by-role table (``test_url_roles.EXPECTED``): every GET row, asked
by every role that gets a 200, in the world of that test with figures, budgets and costs of
thousands. Only what a reader sees is checked: the text of the page and of its PDF letters, never
attributes (``datetime="2026-12-07"``, ``value=``) or scripts. A number of four digits or more
without a thousands separator fails, unless it is a year, a postcode, a time or an identifier
(``IDENTIFIER`` below: a BSN, an AGB code, a message number, a case reference).
Templates are checked as well: no ad-hoc number formatting (``floatformat``, ``intcomma``,
"EUR {{ … }}", "€ {{ … }}") where the filters belong.
"""

import io
import logging
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from insights.models import InitiativeExpense
from maatwerk.models import Budget
from people.factories import ResidentFactory
from plans.models import Arrangement, Frequency, Source
from wijkteam.numbers import euro, number
from wijkteam.tests.test_url_roles import EXPECTED, ROLES, clients, parse, subjects, url_kwargs

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
    r"|\b(Mar|May|Oct)\.? \d{1,2}\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")
# Numbers that are not amounts or counts: read as written, never grouped.
IDENTIFIER = re.compile(
    r"\b\d{4}-\d{6}\b"  # a case reference: year and number
    r"|\b\d{4} ?[A-Z]{2}\b"  # a postcode
    r"|\b\d{8,}\b"  # a BSN, an AGB code, a message or allocation number
    r"|\b0\d{3,}\b"  # a code with leading zeros (CBS, a number in a message)
    r"|\b\d+[A-Z]+\b"  # a code with letters after the digits (CBS table 85984NED)
    r"|\b(19|20)\d\d\b"  # a year
    r"|\b\d{1,2}-\d{1,2}-\d{4}\b"  # a short date
)
BARE = re.compile(r"(?<![\w.,])\d{4,}(?!\d)")


class Visible(HTMLParser):
    """The text a reader sees: no attributes, no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)

    @classmethod
    def text(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        # Text of different elements apart: a count in one table cell and a name in the next
        # ("0" | "Jan Bakker") are not a date "0 Jan".
        parts = (re.sub(r"\s+", " ", part).strip() for part in parser.parts)
        return " | ".join(part for part in parts if part)


def bare_numbers(text: str) -> list[str]:
    """Numbers of four digits or more without a thousands separator, identifiers left out."""
    return [match.group() for match in BARE.finditer(IDENTIFIER.sub(" ", text))]


def english_dates(text: str) -> list[str]:
    return [m.group() for m in ENGLISH_MONTHS.finditer(text)] + [m.group() for m in ISO_DATE.finditer(text)]


def test_numbers_and_amounts_read_as_dutch_readers_read_them():
    with translation.override("nl"):
        assert [number(n) for n in [7500, Decimal("7500.00"), 10370, 6990, Decimal("1962.17"), 12]] == [
            "7.500",
            "7.500",
            "10.370",
            "6.990",
            "1.962,17",
            "12",
        ]
        assert [number(n) for n in [Decimal("7.5"), Decimal("4.00"), None, "", "< 10", "x", "-"]] == [
            "7,5",
            "4",
            "",
            "",
            "< 10",
            "x",
            "-",
        ]
        assert number(Decimal("12.34"), 1) == "12,3" and number(4, 1) == "4,0"
        assert [euro(n) for n in [1250, Decimal("1250.00"), Decimal("1962.17"), Decimal("-3.5"), None]] == [
            "€ 1.250",
            "€ 1.250",
            "€ 1.962,17",
            "-€ 3,50",
            "",
        ]
    with translation.override("en"):
        assert number(12345) == "12,345" and euro(Decimal("1962.17")) == "€ 1,962.17"


def test_the_checks_find_what_they_look_for():
    """The page checks below fail on what they are meant to find, and not on identifiers."""
    assert bare_numbers("Budget 7500,00 en 10370 inwoners, 1.962,17 uitgegeven") == ["7500", "10370"]
    assert bare_numbers("BSN 111222333, zaak 2026-000012, 8932 CA, 14-3-1957, in 2026, AGB 75750001") == []
    assert bare_numbers("gemeente 0080, tabel 85984NED, nummer 000000000001") == []
    found = english_dates("7 Dec 2026, 12 March, op 2026-12-07T07:45+01:00")
    assert sorted(found) == ["2026-12-07T07:45", "7 Dec", "March"]
    assert english_dates("7 december 2026, 14 maart 1957, 7-12-2026, mei, okt.") == []
    # a date written in one element is found; a count beside a name in the next cell is no date
    assert english_dates(Visible.text("<p>Gewijzigd op <time>7 Dec 2026</time></p>")) == ["7 Dec"]
    assert english_dates(Visible.text("<tr><td>0</td></tr><tr><th>Jan Bakker</th></tr>")) == []


def test_templates_format_numbers_with_the_filters():
    """No template formats a number its own way: ``|number`` and ``|euro`` do (``wijkteam.numbers``)."""
    ad_hoc = re.compile(r"floatformat|intcomma|(EUR|€)\s*\{\{")
    found = [
        f"{path.relative_to(settings.SRC_DIR)}:{line_number}: {ad_hoc.search(line).group()}"
        for path in sorted(settings.SRC_DIR.rglob("*.html"))
        if "tests" not in path.parts
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ad_hoc.search(line)
    ]
    assert not found, "format numbers with |number or |euro:\n" + "\n".join(found)


@pytest.fixture
def small_house_numbers():
    """House numbers from 1 again: the factories count on through a process's tests, and a house
    number of four digits ("Zwettestraat 1021") is an address, not a figure to group."""
    ResidentFactory.reset_sequence(1)


@pytest.fixture
def thousands(world, settings, tmp_path, caplog):
    """The world of ``test_url_roles`` with figures of thousands: inhabitants, budgets, expenses,
    an arrangement of the plan, a budget for customised provisions."""
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.CRITICAL, logger="django.request")
    s = subjects(world)
    today = timezone.localdate()
    world.area_a.inhabitants = 10370
    world.area_a.save()
    s.initiative.budget = Decimal("12500")
    s.initiative.save()
    InitiativeExpense.objects.create(
        initiative=s.initiative,
        spent_on=today,
        amount=Decimal("1962.17"),
        description="Huur",
        recorded_by=world.leader,
    )
    Arrangement.objects.create(
        plan=s.goal.plan,
        goal=s.goal,
        source=Source.IN_KIND,
        description="Budgetcoach",
        quantity=Decimal("6"),
        frequency=Frequency.WEEK,
        unit_price=Decimal("62.50"),
        starts_on=today,
        ends_on=today + timedelta(days=60),
    )
    Budget.objects.create(
        municipality=world.municipality, year=today.year, provision=s.advice.provision, amount=Decimal("250000")
    )
    return s


def pages(world, s):
    """(name, role, URL, response) of every GET row, for every role that gets a 200, in Dutch."""
    kwargs, callers = url_kwargs(world, s), clients(world, s)
    for (name, method), row in parse(EXPECTED).items():
        if method != "GET" or name.startswith("admin:"):
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        for role in ROLES:
            if row.expected[role] != "200":
                continue
            client = callers[role]
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
            with transaction.atomic():
                response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
                transaction.set_rollback(True)
            yield name, role, url, response


def readable_text(response) -> str | None:
    kind = response.get("Content-Type", "")
    if kind.startswith("text/html"):
        return Visible.text(response.content.decode())
    if kind.startswith("application/pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return None  # data for programs (JSON, XML, CSV, XLSX): dates and numbers as their formats write them


def test_every_page_writes_numbers_and_dates_as_dutch_readers_read_them(small_house_numbers, world, thousands):
    problems, read = [], {}
    for name, role, url, response in pages(world, thousands):
        text = readable_text(response)
        if text is None:
            continue
        read.setdefault(name, text)
        for kind, found in [("number without separator", bare_numbers(text)), ("date", english_dates(text))]:
            if found:
                problems.append(f"{name} ({role}) {url}: {kind}: {', '.join(sorted(set(found)))}")
    # the pages with numbers of thousands were read
    assert {"insights:district", "insights:districts", "insights:initiative", "insights:initiatives"} <= set(read)
    assert {"insights:management", "maatwerk:costs", "plans:plan", "cases:detail", "privacy:resident_pdf"} <= set(read)
    assert "10.370" in read["insights:districts"] and "€ 12.500" in read["insights:initiatives"]
    assert "€ 1.962,17" in read["insights:initiative"] and "€ 250.000" in read["maatwerk:costs"]
    assert not problems, f"{len(problems)} pages:\n" + "\n".join(problems)


def test_the_api_writes_counts_for_programs(settings):
    """People read "1.234"; a program would read it as one point two: the API writes "1234"."""
    from django.utils import translation

    from wijkteam.suppression import Count, as_data

    with translation.override("nl"):
        assert str(Count(1234, 10)) == "1.234"
        assert as_data(Count(1234, 10)) == "1234"
        assert as_data(Count(None, 10)) == "< 10"
        assert as_data(Count(1234, 10, secondary=True)) == "x"
