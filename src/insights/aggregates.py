"""Anonymous case aggregates per district and for the municipality, protected against differencing
and with small counts suppressed (``wijkteam.suppression``).

Only counts leave this module, always as ``suppression.Count`` (or figures derived from one), added
up from perturbed base cells over whole months. No names, no case numbers: policy users see these
and nothing else.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q, Sum
from django.db.models import Count as DbCount
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Municipality, PostcodeArea
from cases.models import Triage
from provisions.models import ProvisionReferral
from wijkteam.dates import local_days
from wijkteam.numbers import number
from wijkteam.suppression import Cells, Count, Shown, month_of, protect, whole_months
from zrm.models import LifeDomain

from . import tallies
from .models import Figure, Measure, RegionKind

INHABITANTS = "AantalInwoners_5"
NOT_PUBLISHED = _("not published")  # CBS's null or '.': secret, too small or unknown


@dataclass
class Row:
    """One line of a comparison table: the district beside the municipality."""

    label: str
    district: Count
    district_figure: Shown | None = None
    municipality: Count | None = None
    municipality_figure: Shown | None = None

    def cells(self) -> list[str]:
        return [
            str(self.label),
            str(self.district),
            str(self.district_figure or ""),
            str(self.municipality or ""),
            str(self.municipality_figure or ""),
        ]


@dataclass
class FigureRow:
    label: str
    value: str
    unit: str
    municipality_value: str
    provenance: str


@dataclass
class Profile:
    area: Area
    start: date
    end: date
    figures: list[FigureRow] = field(default_factory=list)
    total: Row | None = None
    quarters: list[Row] = field(default_factory=list)
    domains: list[Row] = field(default_factory=list)
    triage: list[Row] = field(default_factory=list)
    provisions: list[Row] = field(default_factory=list)
    initiatives: list[Row] = field(default_factory=list)

    @property
    def period_rows(self) -> list[Row]:
        return [self.total, *self.quarters] if self.total else self.quarters

    def tables(self) -> dict[str, tuple[list[str], list[list[str]]]]:
        """Every aggregate of the page, for the CSV/XLSX export."""
        header = [
            str(_("Subject")),
            str(_("District")),
            str(_("District (rate or share)")),
            str(_("Municipality")),
            str(_("Municipality (rate or share)")),
        ]
        return {
            str(_("New cases")): (header, [r.cells() for r in self.period_rows]),
            str(_("Life domains")): (header, [r.cells() for r in self.domains]),
            str(_("Triage 80-20-5")): (header, [r.cells() for r in self.triage]),
            str(_("Provisions used")): (header, [r.cells() for r in self.provisions]),
            str(_("Initiatives")): (header, [r.cells() for r in self.initiatives]),
        }


def population(municipality: Municipality) -> int | None:
    figure = (
        Figure.objects.filter(region_code=municipality.cbs_code, indicator=INHABITANTS, value__isnull=False)
        .order_by("-year")
        .first()
    )
    if figure is not None:
        return int(figure.value)
    districts = municipality.areas.filter(kind="wijk", ended_in__isnull=True)  # neighbourhoods lie within them
    return sum(a.inhabitants or 0 for a in districts) or None


HERE, TOWN = "here", "town"
TRIAGED = "triaged"  # the cases with a triage outcome


def quarter_of(month: date) -> date:
    return month.replace(month=(month.month - 1) // 3 * 3 + 1)


def case_cells(area: Area, *, start: date, end: date, exact: bool = False) -> Cells:
    """New cases (by the date of their report) of the households in ``area`` ("here") and in its
    municipality ("town"), counted from the pre-aggregated tallies (``insights.tallies``), whose
    month rows are the base cells and carry their noise: counts and noise are added up in SQL. A case
    has one triage outcome (or none), so the new cases are the sum of the triage cells: the totals,
    the quarters and the triage rows are added up from the same cells and agree with each other.

    Keys: (here|town, measure, key) per triage outcome and life domain, (here|town, NEW),
    (here|town, TRIAGED) and (here|town, "quarter", first day of the quarter)."""
    if not exact:
        start, end = whole_months(start, end)  # month rows only: every one a base cell
    cells = Cells(exact=exact)
    rows = (
        tallies.rows([Measure.TRIAGE, Measure.DOMAIN], start, end)
        .filter(area__municipality=area.municipality_id)
        .annotate(here=ExpressionWrapper(Q(area=area.pk), output_field=BooleanField()), q=TruncQuarter("day"))
        .order_by()
        .values_list("here", "q", "measure", "key")
        .annotate(n=Sum("n"), noise=Sum("noise"))
    )
    for here, quarter, measure, key, n, noise in rows:
        places = [TOWN, HERE] if here else [TOWN]
        keys = [(place, measure, key) for place in places]
        if measure == Measure.TRIAGE:
            keys += [(place, Measure.NEW) for place in places]
            keys += [(place, "quarter", _as_date(quarter)) for place in places]
            if key:
                keys += [(place, TRIAGED) for place in places]
        cells.add_counted(n, noise, keys)
    return cells


def _as_date(value) -> date:
    """A truncated month as a date (SQLite may give a datetime or a string)."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _number(value: Decimal | None) -> str:
    """A published figure with the decimals it was published with."""
    if value is None:
        return str(NOT_PUBLISHED)
    return number(value, max(0, -value.normalize().as_tuple().exponent))


def figures_for(area: Area) -> list[FigureRow]:
    """The published figures of the district beside the municipality's, each with its provenance."""
    municipality = {
        (f.indicator, f.table, f.year): f for f in Figure.objects.filter(region_code=area.municipality.cbs_code)
    }
    rows = []
    for figure in Figure.objects.filter(area=area).order_by("file", "indicator"):
        other = municipality.get((figure.indicator, figure.table, figure.year))
        reference = other.value if other else figure.reference_value
        rows.append(
            FigureRow(
                label=figure.label,
                value=_number(figure.value),
                unit=figure.unit,
                municipality_value=_number(reference) if other or reference is not None else "",
                provenance=figure.provenance,
            )
        )
    seniors = seniors_estimate(area)
    if seniors:
        rows.append(seniors)
    return rows


def seniors_estimate(area: Area) -> FigureRow | None:
    """Share of inhabitants aged 65+, estimated from the postcode areas that lie in the district
    (weighted by the share of their surface in it). CBS publishes no age per district here."""

    def share(mappings) -> Decimal | None:
        codes = {m.postcode4: Decimal(str(m.share)) for m in mappings}
        values: dict[tuple[str, str], Decimal] = {
            (f.region_code, f.indicator): f.value
            for f in Figure.objects.filter(
                region_kind=RegionKind.POSTCODE, region_code__in=codes, indicator__in=["inwoners", "inwoners_65plus"]
            )
        }
        everyone = sum(codes[c] * values.get((c, "inwoners"), 0) for c in codes if (c, "inwoners_65plus") in values)
        seniors = sum(codes[c] * values.get((c, "inwoners_65plus"), 0) for c in codes if (c, "inwoners") in values)
        return (seniors * 100 / everyone).quantize(Decimal("0.1"), ROUND_HALF_UP) if everyone else None

    district = share(PostcodeArea.objects.filter(area=area))
    if district is None:
        return None
    town = share(PostcodeArea.objects.filter(area__municipality=area.municipality))
    return FigureRow(
        label=str(_("Inhabitants aged 65 or over (estimate from postcode areas)")),
        value=_number(district),
        unit="%",
        municipality_value=_number(town) if town is not None else "",
        provenance=str(
            _("CBS, 83502NED, 2021; postcode areas weighted by the share of their surface in the district")
        ),
    )


def district_profile(
    area: Area, *, start: date, end: date, counts: Cells | None = None, exact: bool = False
) -> Profile:
    """The profile page's figures and protected aggregates (``wijkteam.suppression``): whole months
    unless ``exact``. ``counts``: the period's case cells when the caller has them already
    (``case_cells``, shared with ``collective_suggestions``)."""
    if not exact:
        start, end = whole_months(start, end)
    municipality = area.municipality
    town_population = population(municipality)
    if counts is None:
        counts = case_cells(area, start=start, end=end, exact=exact)
    profile = Profile(area=area, start=start, end=end, figures=figures_for(area))

    total_here = counts.count((HERE, Measure.NEW))
    total_town = counts.count((TOWN, Measure.NEW))
    profile.total = Row(
        _("New cases in the period"),
        total_here,
        total_here.rate(area.inhabitants),
        total_town,
        total_town.rate(town_population),
    )
    quarters = sorted(key[2] for key in counts.true if key[:2] == (TOWN, "quarter"))
    # The quarters add up to the period's total, shown above them: protect the parts.
    quarters_here = protect([counts.count((HERE, "quarter", q)) for q in quarters])
    quarters_town = protect([counts.count((TOWN, "quarter", q)) for q in quarters])
    for quarter, here_count, town_count in zip(quarters, quarters_here, quarters_town, strict=True):
        label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
        profile.quarters.append(
            Row(label, here_count, here_count.rate(area.inhabitants), town_count, town_count.rate(town_population))
        )

    for domain in LifeDomain.objects.all():
        here_count = counts.count((HERE, Measure.DOMAIN, str(domain.pk)))
        town_count = counts.count((TOWN, Measure.DOMAIN, str(domain.pk)))
        profile.domains.append(
            Row(
                str(domain),
                here_count,
                here_count.rate(area.inhabitants),
                town_count,
                town_count.rate(town_population),
            )
        )

    triaged_here, triaged_town = counts.count((HERE, TRIAGED)), counts.count((TOWN, TRIAGED))
    # Shares give the triaged total away, and the total the one suppressed part: protect the parts.
    parts_here = protect([counts.count((HERE, Measure.TRIAGE, value)) for value in Triage.values])
    parts_town = protect([counts.count((TOWN, Measure.TRIAGE, value)) for value in Triage.values])
    for label, here_count, town_count in zip(Triage.labels, parts_here, parts_town, strict=True):
        profile.triage.append(
            Row(label, here_count, here_count.share_of(triaged_here), town_count, town_count.share_of(triaged_town))
        )

    # Referrals to provisions, per base cell: provision, team and district of the case, month.
    used = Cells(exact=exact)
    since, until = local_days(start, end)
    referrals = (
        ProvisionReferral.objects.filter(
            case__household__area__municipality=municipality, referred_at__gte=since, referred_at__lt=until
        )
        .annotate(m=TruncMonth("referred_at"))
        .order_by()
        .values_list("provision_id", "provision__name", "case__team_id", "case__household__area_id", "m")
        .annotate(n=DbCount("pk", distinct=True))
    )
    names = set()
    for provision, name, team, district, month, n in referrals:
        names.add(name)
        keys = [(TOWN, name), (HERE, name)] if district == area.pk else [(TOWN, name)]
        used.add(("provision-referral", provision, team, district, month_of(_as_date(month))), n, keys)
    for name in sorted(names):
        profile.provisions.append(Row(name, used.count((HERE, name)), None, used.count((TOWN, name))))

    # Questions answered collectively: households that take part in the district's initiatives.
    from .models import Initiative

    for initiative in (
        Initiative.objects.filter(area=area).select_related("provision").annotate(households=DbCount("participants"))
    ):
        profile.initiatives.append(Row(str(initiative), initiative_reach(initiative, initiative.households)))
    return profile


def initiative_reach(initiative, households: int, *, own_team: bool = False):
    """The households that take part: the number itself for the team that runs the initiative
    (they linked them), else protected like every count (a cell of its own, suppressed)."""
    if own_team:
        return households
    cells = Cells()
    cells.add(("initiative", initiative.pk), households, ["reach"])
    return cells.count("reach")


def _grouped(queryset, key: str) -> list[tuple[object, int]]:
    return [(row[key], row["n"]) for row in queryset.order_by().values(key).annotate(n=DbCount("pk", distinct=True))]


@dataclass
class DistrictLine:
    area: Area
    inhabitants: int | None
    cases: Count
    rate: Shown


def district_overview(
    municipality: Municipality, *, start: date, end: date, exact: bool = False
) -> list[DistrictLine]:
    """New cases per district, added up from the same base cells as the profiles (so a district
    shows the same number here as on its profile)."""
    if not exact:
        start, end = whole_months(start, end)
    cells = Cells(exact=exact)
    for district, n, noise in (
        tallies.rows([Measure.TRIAGE], start, end)
        .filter(area__municipality=municipality)
        .order_by()
        .values_list("area")
        .annotate(n=Sum("n"), noise=Sum("noise"))
    ):
        cells.add_counted(n, noise, [district])
    areas = list(municipality.areas.filter(kind="wijk", ended_in__isnull=True).order_by("name"))
    # The districts add up to the municipality's total on every profile: protect the parts.
    shown = protect([cells.count(area.pk) for area in areas])
    return [
        DistrictLine(area, area.inhabitants, count, count.rate(area.inhabitants))
        for area, count in zip(areas, shown, strict=True)
    ]


@dataclass
class PreventionEstimate:
    ratio: Decimal
    assumption: str
    spent: Decimal

    @property
    def saving(self) -> Decimal:
        return (self.spent * self.ratio).quantize(Decimal("1"), ROUND_HALF_UP)


def prevention_estimate(spent: Decimal) -> PreventionEstimate:
    """What the municipality assumes the money saves, never without the assumption behind it."""
    from django.conf import settings

    return PreventionEstimate(
        ratio=Decimal(str(settings.WIJKTEAM["PREVENTION_RATIO"])),
        assumption=settings.WIJKTEAM["PREVENTION_ASSUMPTION"],
        spent=spent,
    )


@dataclass(frozen=True)
class MapFigure:
    key: str
    label: str
    indicator: str = ""  # a published figure; empty for the case rate


MAP_FIGURES = (
    MapFigure("zaken", _("New cases per 1,000 inhabitants")),
    MapFigure("inwoners", _("Inhabitants (CBS, 2024)"), INHABITANTS),
    MapFigure("inkomen", _("Average personal income, x EUR 1,000 (CBS, 2020)"), "inkomen_gemiddeld_per_inwoner"),
    MapFigure(
        "laag_inkomen",
        _("Households with the lowest 40 percent of incomes, in percent (CBS, 2020)"),
        "huishoudens_laagste_40pct",
    ),
)


@dataclass
class MapValue:
    area: Area
    value: Decimal | None
    text: str


def map_values(municipality: Municipality, key: str, *, start: date, end: date) -> tuple[MapFigure, list[MapValue]]:
    """One figure per district for the map and its data table; case rates protected and suppressed
    as on the district index (from the same cells)."""
    figure = next((f for f in MAP_FIGURES if f.key == key), MAP_FIGURES[0])
    if not figure.indicator:
        lines = district_overview(municipality, start=start, end=end)
        return figure, [MapValue(line.area, line.rate.value, str(line.rate)) for line in lines]
    published = {
        f.area_id: f.value
        for f in Figure.objects.filter(area__municipality=municipality, indicator=figure.indicator).order_by("year")
    }
    values = []
    for area in municipality.areas.filter(kind="wijk", ended_in__isnull=True).order_by("name"):
        value = published.get(area.pk)
        values.append(MapValue(area, value, _number(value) if area.pk in published else "-"))
    return figure, values


# --- collectiviseren: themes that recur in a district -----------------------------------------------

SIGNIFICANCE = 0.01  # chance that a difference this large is coincidence
MIN_RATIO = Decimal("1.5")  # and at least half as many again as expected


def poisson_tail(observed: int, expected: float) -> float:
    """P(X >= observed) for X ~ Poisson(expected): how often chance alone gives this many or more."""
    if observed <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    term = math.exp(-expected)
    below = term
    for k in range(1, observed):
        term *= expected / k
        below += term
    return max(0.0, 1.0 - below)


@dataclass
class Suggestion:
    domain: LifeDomain
    observed: Count
    expected: Decimal
    ratio: Decimal
    chance: float

    @property
    def chance_text(self) -> str:
        if self.chance < 0.001:
            return str(_("less than 1 in 1,000"))
        return str(_("less than 1 in 100"))


def collective_suggestions(
    area: Area, *, start: date, end: date, counts: Cells | None = None, exact: bool = False
) -> list[Suggestion]:
    """Life domains with clearly more cases in the district than its share of the population would
    give, judged with a one-sided Poisson test on the counts as published (protected, so the evidence
    tells no more than the profile beside it). Only counts at or above the suppression threshold
    can become a suggestion, so the evidence never reveals a small number."""
    town_population = population(area.municipality)
    if not town_population or not area.inhabitants:
        return []
    if not exact:
        start, end = whole_months(start, end)
    if counts is None:  # else the profile's, for the same area and period
        counts = case_cells(area, start=start, end=end, exact=exact)
    share = area.inhabitants / town_population
    suggestions = []
    for domain in LifeDomain.objects.all():
        count = counts.count((HERE, Measure.DOMAIN, str(domain.pk)))
        town = counts.count((TOWN, Measure.DOMAIN, str(domain.pk)))
        if count.suppressed or town.suppressed:
            continue
        observed, expected = count.value, town.value * share
        if expected <= 0:
            continue
        ratio = (Decimal(observed) / Decimal(expected)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        chance = poisson_tail(observed, expected)
        if chance < SIGNIFICANCE and ratio >= MIN_RATIO:
            expected_shown = Decimal(expected).quantize(Decimal("0.1"), ROUND_HALF_UP)
            suggestions.append(Suggestion(domain, count, expected_shown, ratio, chance))
    return sorted(suggestions, key=lambda s: s.chance)


PC4_GEO = ("geo", "pc4_leeuwarden_helmond_barneveld_woerden.geojson")
PC4_GEO_SOURCE = "CBS/PDOK, postcode areas 2021, CC BY 4.0"


def postcode_outline(area: Area, mappings: list[PostcodeArea]) -> dict | None:
    """Where a district has no boundary of its own: the postcode areas that lie mostly in it, as
    one MultiPolygon (coarser, and labelled so on the map)."""
    from wijkteam.reference import load_json

    wanted = {m.postcode4 for m in mappings if m.area_id == area.pk}
    if not wanted:
        return None
    polygons = []
    for feature in load_json(*PC4_GEO)["features"]:
        if f"{int(feature['properties']['postcode']):04d}" in wanted:
            geometry = feature["geometry"]
            polygons += geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
