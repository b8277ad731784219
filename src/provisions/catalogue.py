"""Export and import of the social map as CSV (semicolons, as Dutch Excel writes it) or XLSX, for
the functional administrator. One row per provision; a provision is matched on its name.

An import is all or nothing: every row is checked first (kinds, life domains, district codes, the
iWmo/iJw product category and unit code lists, prices, providers by AGB code) and one error stops
the whole file, with every problem listed by row.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from areas.models import Area, Municipality
from cases.models import LegalFramework
from partners.models import Organisation
from wijkteam.exports import restore
from wijkteam.reference import codelist
from zrm.models import LifeDomain

from .models import Contract, Provision, ProvisionKind

COLUMNS = [
    "naam",
    "soort",
    "omschrijving",
    "doelgroep",
    "leefgebieden",
    "wijken",
    "telefoon",
    "email",
    "adres",
    "website",
    "wet",
    "productcategorie",
    "eenheid",
    "prijs",
    "aanbieders",
    "actief",
    "uitvoerder",  # the partner organisation that runs it, by name; empty: the municipality
]
YES = {"ja", "j", "yes", "1", "true", "waar"}


def _join(values) -> str:
    return ", ".join(values)


def catalogue_rows(municipality: Municipality) -> list[list[object]]:
    provisions = (
        Provision.objects.filter(municipality=municipality)
        .select_related("framework", "organisation")
        .prefetch_related("life_domains", "areas", "contracts__provider")
        .order_by("kind", "name")
    )
    return [
        [
            p.name,
            p.kind,
            p.description,
            p.target_group,
            _join(d.code for d in p.life_domains.all()),
            _join(a.cbs_code for a in p.areas.all()),
            p.phone,
            p.email,
            p.address,
            p.website,
            p.framework.code if p.framework else "",
            p.product_category,
            p.unit,
            "" if p.unit_price is None else str(p.unit_price).replace(".", ","),
            _join(c.provider.agb_code for c in p.contracts.all() if c.provider.agb_code),
            "ja" if p.active else "nee",
            p.organisation.name if p.organisation else "",
        ]
        for p in provisions
    ]


def read_table(content: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file as dicts keyed by the lower-cased header."""
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("The file is not a readable XLSX workbook.")) from error
        values = [
            ["" if cell is None else str(cell).strip() for cell in row] for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Save the CSV file as UTF-8.")) from None
        dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        # Texts that a spreadsheet would run were exported with a leading apostrophe: taken off again.
        values = [[restore(cell.strip()) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=dialect)]
    values = [row for row in values if any(row)]
    if not values:
        raise ValidationError(_("The file is empty."))
    header = [name.lower() for name in values[0]]
    missing = [name for name in ("naam", "soort") if name not in header]
    if missing:
        raise ValidationError(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in values[1:]]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").replace(";", ",").split(",") if part.strip()]


@transaction.atomic
def catalogue_import(*, municipality: Municipality, rows: list[dict[str, str]]) -> ImportResult:
    """Create or update provisions from ``rows``; raises ``ValidationError`` with one message per
    problem (and stores nothing) when any row is wrong."""
    domains = {d.code: d for d in LifeDomain.objects.all()}
    areas = {a.cbs_code: a for a in Area.objects.filter(municipality=municipality)}
    frameworks = {f.code: f for f in LegalFramework.objects.all()}
    organisations = list(Organisation.objects.filter(municipality=municipality))
    providers = {o.agb_code: o for o in organisations if o.agb_code}
    by_name: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        by_name.setdefault(organisation.name.strip().lower(), []).append(organisation)
    categories = {
        "wmo": {code for code, _ in codelist("wmo", "WMO020_Productcategorie.md")},
        "jeugdwet": {code for code, _ in codelist("jw", "JZ020_Productcategorie")},
    }
    units = {code for code, _ in codelist("wmo", "WJ756_Eenheid.md")}
    errors: list[str] = []
    parsed = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):

        def problem(text: str, number: int = number) -> None:
            errors.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": text})

        name = row.get("naam", "").strip()
        if not name:
            problem(_("the name is empty"))
            continue
        if name.lower() in seen:
            problem(_("%(name)s appears twice") % {"name": name})
        seen.add(name.lower())
        kind = row.get("soort", "").strip().lower()
        if kind not in ProvisionKind.values:
            problem(_("kind must be one of %(kinds)s") % {"kinds": ", ".join(ProvisionKind.values)})
        unknown = [code for code in _split(row.get("leefgebieden", "")) if code not in domains]
        if unknown:
            problem(_("unknown life domains: %(codes)s") % {"codes": ", ".join(unknown)})
        unknown = [code for code in _split(row.get("wijken", "")) if code not in areas]
        if unknown:
            problem(_("unknown districts: %(codes)s") % {"codes": ", ".join(unknown)})
        unknown = [code for code in _split(row.get("aanbieders", "")) if code not in providers]
        if unknown:
            problem(_("no provider with AGB code %(codes)s") % {"codes": ", ".join(unknown)})
        # Who runs it; a file without the column (exported before it existed) leaves that as it is.
        runs = {}
        if "uitvoerder" in row:
            runner = row["uitvoerder"].strip()
            named = by_name.get(runner.lower(), [])
            if runner and len(named) > 1:
                problem(_("more than one organisation is called %(name)s") % {"name": runner})
            elif runner and not named:
                problem(_("no partner organisation is called %(name)s") % {"name": runner})
            else:
                runs["organisation"] = named[0] if runner else None
        framework = row.get("wet", "").strip().lower()
        category = row.get("productcategorie", "").strip()
        unit = row.get("eenheid", "").strip()
        price = None
        text = row.get("prijs", "").strip()
        if text:
            if "," in text:  # Dutch: 1.234,50
                text = text.replace(".", "").replace(",", ".")
            try:
                price = Decimal(text)
            except InvalidOperation:
                problem(_("the price %(price)s is not an amount") % {"price": row["prijs"]})
        for column, validator in (("email", EmailValidator()), ("website", URLValidator())):
            if row.get(column, "").strip():
                try:
                    validator(row[column].strip())
                except ValidationError:
                    problem(_("%(value)s is not a valid %(column)s") % {"value": row[column], "column": column})
        if kind == ProvisionKind.MAATWERK:
            if framework not in categories:
                problem(_("a customised provision needs the law: wmo or jeugdwet"))
            elif category not in categories[framework]:
                problem(_("product category %(code)s is not in the code list") % {"code": category or "-"})
            if unit not in units:
                problem(_("unit %(code)s is not in code list WJ756") % {"code": unit or "-"})
        parsed.append((row, name, kind, framework, category, unit, price, runs))
    if errors:
        raise ValidationError(errors)
    result = ImportResult()
    today: date = timezone.localdate()
    for row, name, kind, framework, category, unit, price, runs in parsed:
        provision, created = Provision.objects.update_or_create(
            municipality=municipality,
            name=name,
            defaults={
                **runs,
                "kind": kind,
                "description": row.get("omschrijving", ""),
                "target_group": row.get("doelgroep", "")[:300],
                "phone": row.get("telefoon", "")[:20],
                "email": row.get("email", ""),
                "address": row.get("adres", "")[:200],
                "website": row.get("website", ""),
                "framework": frameworks.get(framework) if kind == ProvisionKind.MAATWERK else None,
                "product_category": category if kind == ProvisionKind.MAATWERK else "",
                "unit": unit if kind == ProvisionKind.MAATWERK else "",
                "unit_price": price,
                "active": (row.get("actief", "ja").strip().lower() or "ja") in YES,
            },
        )
        provision.life_domains.set([domains[c] for c in _split(row.get("leefgebieden", ""))])
        provision.areas.set([areas[c] for c in _split(row.get("wijken", ""))])
        for agb in _split(row.get("aanbieders", "")):
            Contract.objects.get_or_create(
                provision=provision, provider=providers[agb], defaults={"valid_from": today}
            )
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
