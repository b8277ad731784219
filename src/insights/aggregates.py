"""Anonymous case aggregates per district and for the municipality, with small counts suppressed.

Only counts leave this module, always as ``suppression.Count`` (or figures derived from one).
No names, no case numbers: policy users see these and nothing else.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, ExpressionWrapper, Q, Sum
from django.db.models import Count as DbCount
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Municipality, PostcodeArea
from cases.models import Triage
from provisions.models import ProvisionReferral
from wijkteam.suppression import Count, Shown, protect
from zrm.models import LifeDomain

from . import tallies
from .models import Figure, Measure, RegionKind

INHABITANTS = "AantalInwoners_5"


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
    figure = Figure.objects.filter(region_code=municipality.cbs_code, indicator=INHABITANTS).order_by("-year").first()
    if figure is not None:
        return int(figure.value)
    return sum(a.inhabitants or 0 for a in municipality.areas.all()) or None


@dataclass
class CaseCounts:
    """The period's new cases in the district ("here") and in the whole municipality ("town"),
    counted from the pre-aggregated tallies (``insights.tallies``): in total, per quarter, per
    triage outcome and per life domain. Raw numbers: callers suppress them before showing any."""

    here: Counter = field(default_factory=Counter)  # (measure, key) -> n
    town: Counter = field(default_factory=Counter)
    quarters_here: Counter = field(default_factory=Counter)  # first day of the quarter -> n
    quarters_town: Counter = field(default_factory=Counter)

    def of(self, measure: str, *, here: bool) -> dict:
        counts = self.here if here else self.town
        return {key: n for (m, key), n in counts.items() if m == measure}


def case_counts(area: Area, *, start: date, end: date, measures=(Measure.NEW, Measure.TRIAGE, Measure.DOMAIN)):
    """New cases (by the date of their report) of the households in ``area`` and in its municipality."""
    counts = CaseCounts()
    rows = (
        tallies.rows(measures, start, end)
        .filter(area__municipality=area.municipality_id)
        .annotate(here=ExpressionWrapper(Q(area=area.pk), output_field=BooleanField()), q=TruncQuarter("day"))
        .order_by()
        .values_list("here", "q", "measure", "key")
        .annotate(n=Sum("n"))
    )
    for here, quarter, measure, key, n in rows:
        counts.town[(measure, key)] += n
        if here:
            counts.here[(measure, key)] += n
        if measure == Measure.NEW:
            counts.quarters_town[quarter] += n
            if here:
                counts.quarters_here[quarter] += n
    return counts


def _number(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    if "." in text:
        whole, fraction = text.split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    return f"{int(text):,}".replace(",", ".")


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
                municipality_value=_number(reference) if reference is not None else "",
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


def district_profile(area: Area, *, start: date, end: date, counts: CaseCounts | None = None) -> Profile:
    """The profile page's figures and suppressed aggregates. ``counts``: the period's case counts
    when the caller has them already (``case_counts``, shared with ``collective_suggestions``)."""
    municipality = area.municipality
    town_population = population(municipality)
    if counts is None:
        counts = case_counts(area, start=start, end=end)
    profile = Profile(area=area, start=start, end=end, figures=figures_for(area))

    total_here = Count.of(counts.here[(Measure.NEW, "")])
    total_town = Count.of(counts.town[(Measure.NEW, "")])
    profile.total = Row(
        _("New cases in the period"),
        total_here,
        total_here.rate(area.inhabitants),
        total_town,
        total_town.rate(town_population),
    )
    by_quarter_here, by_quarter_town = counts.quarters_here, counts.quarters_town
    quarters = sorted(by_quarter_town)
    # The quarters add up to the period's total, shown above them: protect the parts.
    quarters_here = protect([Count.of(by_quarter_here.get(q, 0)) for q in quarters])
    quarters_town = protect([Count.of(by_quarter_town[q]) for q in quarters])
    for quarter, here_count, town_count in zip(quarters, quarters_here, quarters_town, strict=True):
        label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
        profile.quarters.append(
            Row(label, here_count, here_count.rate(area.inhabitants), town_count, town_count.rate(town_population))
        )

    domains_here, domains_town = counts.of(Measure.DOMAIN, here=True), counts.of(Measure.DOMAIN, here=False)
    for domain in LifeDomain.objects.all():
        here_count = Count.of(domains_here.get(str(domain.pk), 0))
        town_count = Count.of(domains_town.get(str(domain.pk), 0))
        profile.domains.append(
            Row(
                str(domain),
                here_count,
                here_count.rate(area.inhabitants),
                town_count,
                town_count.rate(town_population),
            )
        )

    triage_here, triage_town = counts.of(Measure.TRIAGE, here=True), counts.of(Measure.TRIAGE, here=False)
    triaged_here = Count.of(sum(v for k, v in triage_here.items() if k))
    triaged_town = Count.of(sum(v for k, v in triage_town.items() if k))
    # Shares give the triaged total away, and the total the one suppressed part: protect the parts.
    parts_here = protect([Count.of(triage_here.get(value, 0)) for value in Triage.values])
    parts_town = protect([Count.of(triage_town.get(value, 0)) for value in Triage.values])
    for label, here_count, town_count in zip(Triage.labels, parts_here, parts_town, strict=True):
        profile.triage.append(
            Row(label, here_count, here_count.share_of(triaged_here), town_count, town_count.share_of(triaged_town))
        )

    referrals = ProvisionReferral.objects.filter(
        Q(case__household__area__municipality=municipality),
        referred_at__date__gte=start,
        referred_at__date__lte=end,
    )
    used_town = {
        row["provision__name"]: row["n"] for row in referrals.values("provision__name").annotate(n=DbCount("pk"))
    }
    used_here = dict(_grouped(referrals.filter(case__household__area=area), "provision__name"))
    for name in sorted(used_town):
        profile.provisions.append(Row(name, Count.of(used_here.get(name, 0)), None, Count.of(used_town[name])))

    # Questions answered collectively: households that take part in the district's initiatives.
    from .models import Initiative

    for initiative in (
        Initiative.objects.filter(area=area).select_related("provision").annotate(households=DbCount("participants"))
    ):
        profile.initiatives.append(Row(str(initiative), Count.of(initiative.households)))
    return profile


def _grouped(queryset, key: str) -> list[tuple[object, int]]:
    return [(row[key], row["n"]) for row in queryset.order_by().values(key).annotate(n=DbCount("pk", distinct=True))]


@dataclass
class DistrictLine:
    area: Area
    inhabitants: int | None
    cases: Count
    rate: Shown


def district_overview(municipality: Municipality, *, start: date, end: date) -> list[DistrictLine]:
    counts = dict(
        tallies.rows([Measure.NEW], start, end)
        .filter(area__municipality=municipality)
        .order_by()
        .values_list("area")
        .annotate(n=Sum("n"))
    )
    areas = list(municipality.areas.filter(kind="wijk").order_by("name"))
    # The districts add up to the municipality's total on every profile: protect the parts.
    shown = protect([Count.of(counts.get(area.pk, 0)) for area in areas])
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
    """One figure per district for the map and its data table; case rates suppressed."""
    figure = next((f for f in MAP_FIGURES if f.key == key), MAP_FIGURES[0])
    if not figure.indicator:
        lines = district_overview(municipality, start=start, end=end)
        return figure, [MapValue(line.area, line.rate.value, str(line.rate)) for line in lines]
    published = {
        f.area_id: f.value
        for f in Figure.objects.filter(area__municipality=municipality, indicator=figure.indicator).order_by("year")
    }
    values = []
    for area in municipality.areas.filter(kind="wijk").order_by("name"):
        value = published.get(area.pk)
        values.append(MapValue(area, value, _number(value) if value is not None else "-"))
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
    area: Area, *, start: date, end: date, counts: CaseCounts | None = None
) -> list[Suggestion]:
    """Life domains with clearly more cases in the district than its share of the population would
    give, judged with a one-sided Poisson test. Only counts at or above the suppression threshold
    can become a suggestion, so the evidence never reveals a small number."""
    town_population = population(area.municipality)
    if not town_population or not area.inhabitants:
        return []
    if counts is None:  # else the profile's, for the same area and period
        counts = case_counts(area, start=start, end=end, measures=[Measure.DOMAIN])
    here = {int(key): n for key, n in counts.of(Measure.DOMAIN, here=True).items()}
    town = {int(key): n for key, n in counts.of(Measure.DOMAIN, here=False).items()}
    share = area.inhabitants / town_population
    suggestions = []
    for domain in LifeDomain.objects.filter(pk__in=list(here)):
        observed = here[domain.pk]
        expected = town.get(domain.pk, 0) * share
        count = Count.of(observed)
        if count.suppressed or expected <= 0:
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
