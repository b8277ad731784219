"""Cost figures: the expected cost of granted decisions (volume x unit price over the period)
per provision, team, district and month, against the budget the municipality set.

A decision counts in the year its support starts, with its whole expected cost; open-ended
support counts one year. No personal data: only sums and counts. Every figure is added up from
base cells (provision, delivery form, team, district, month the support starts; the same cells as
the management information's costs), protected against differencing and suppressed below the
threshold (``wijkteam.suppression``); a cost is not shown where its count is not. The beschikker,
who takes every decision, sees the exact figures.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from areas.models import Municipality
from wijkteam.suppression import Cells, month_of, protect
from wijkteam.suppression import Count as ShownCount

from .models import Budget, Decision, DecisionOutcome, DeliveryForm


@dataclass
class Row:
    label: str
    count: ShownCount
    cost: Decimal | None  # None where the count is not shown: a sum over few decisions tells as much
    budget: Decimal | None = None

    @property
    def shown_count(self) -> str:
        return str(self.count)

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None or self.cost is None else self.budget - self.cost

    @property
    def over(self) -> bool:
        return self.budget is not None and self.cost is not None and self.cost > self.budget


@dataclass
class Figures:
    year: int
    total: Row
    by_provision: list[Row] = field(default_factory=list)
    by_delivery: list[Row] = field(default_factory=list)
    by_team: list[Row] = field(default_factory=list)
    by_district: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    refused: ShownCount | None = None
    avoided: Decimal | None = Decimal("0.00")  # None when it is the saving on too few decisions


def granted_cell(provision: int, delivery: str, team: int, district: int | None, month) -> tuple:
    """The base cell of granted decisions, shared with ``insights.management_info``."""
    return ("granted", provision, delivery, team, district, month_of(month))


def _rows(cells: Cells, margin: str, labels: dict, budgets: dict | None = None) -> list[Row]:
    keys = sorted((key for key in cells.true if key[0] == margin), key=lambda key: labels[key[1]])
    counts = protect([cells.count(key) for key in keys])  # the rows add up to the total above them
    return [
        Row(
            label=labels[key[1]],
            count=count,
            cost=None if count.suppressed else cells.amount(key),
            budget=None if budgets is None else budgets.get(key[1]),
        )
        for key, count in zip(keys, counts, strict=True)
    ]


def cost_figures(*, municipality: Municipality, year: int, exact: bool = False) -> Figures:
    decisions = Decision.objects.filter(
        advice__case__team__municipality=municipality, outcome=DecisionOutcome.GRANTED, starts_on__year=year
    )
    budgets = {b.provision_id: b.amount for b in Budget.objects.filter(municipality=municipality, year=year)}
    cells = Cells(exact=exact)
    delivery = dict(DeliveryForm.choices)
    labels: dict[str, dict] = {"provision": {}, "delivery": {}, "team": {}, "district": {}, "month": {}}
    for provision, provision_name, form, team, team_name, district, district_name, month, n, cost in (
        decisions.annotate(m=TruncMonth("starts_on"))
        .order_by()
        .values_list(
            "provision_id",
            "provision__name",
            "delivery_form",
            "advice__case__team_id",
            "advice__case__team__name",
            "advice__case__household__area_id",
            "advice__case__household__area__name",
            "m",
        )
        .annotate(n=Count("pk"), cost=Sum("expected_cost"))
    ):
        labels["provision"][provision] = provision_name
        labels["delivery"][form] = str(delivery.get(form, form))
        labels["team"][team_name] = team_name
        labels["district"][district_name] = district_name or "?"
        labels["month"][month_of(month)] = month_of(month)
        keys = [
            ("total",),
            ("provision", provision),
            ("delivery", form),
            ("team", team_name),
            ("district", district_name),
            ("month", month_of(month)),
        ]
        cells.add(granted_cell(provision, form, team, district, month), n, keys, amount=cost or Decimal("0.00"))
    total = cells.count(("total",))
    figures = Figures(
        year=year,
        total=Row(
            label="",
            count=total,
            cost=None if total.suppressed else cells.amount(("total",)),
            budget=budgets.get(None),
        ),
    )
    figures.by_provision = _rows(cells, "provision", labels["provision"], budgets)
    figures.by_delivery = _rows(cells, "delivery", labels["delivery"])
    figures.by_team = _rows(cells, "team", labels["team"])
    figures.by_district = _rows(cells, "district", labels["district"])
    figures.by_month = _rows(cells, "month", labels["month"])
    refused = Cells(exact=exact)
    for team, district, month, n in (
        Decision.objects.filter(
            advice__case__team__municipality=municipality, outcome=DecisionOutcome.REFUSED, decided_on__year=year
        )
        .annotate(m=TruncMonth("decided_on"))
        .order_by()
        .values_list("advice__case__team_id", "advice__case__household__area_id", "m")
        .annotate(n=Count("pk"))
    ):
        refused.add(("refused", team, district, month_of(month)), n, ["refused"])
    figures.refused = refused.count("refused")
    figures.avoided = _avoided(municipality, year, exact=exact)
    return figures


def _avoided(municipality: Municipality, year: int, *, exact: bool) -> Decimal | None:
    """What the provisions that were asked for would have cost, minus what was granted instead
    (two vacuum cleaners instead of a stairlift). Protected: only over at least the threshold's
    number of decisions, since the saving on one decision is that resident's care."""
    from wijkteam.suppression import threshold

    from .models import expected_cost

    avoided = Decimal("0.00")
    granted = Decision.objects.filter(
        advice__case__team__municipality=municipality,
        outcome=DecisionOutcome.GRANTED,
        starts_on__year=year,
        advice__requested_provision__isnull=False,
    ).select_related("advice__requested_provision")
    decisions = list(granted)
    if not exact and len(decisions) < threshold():
        return None
    for decision in decisions:
        asked = decision.advice.requested_provision
        asked_cost = expected_cost(
            volume=1 if asked.unit == "82" else decision.volume,
            frequency="6" if asked.unit == "82" else decision.frequency,
            unit_price=asked.unit_price,
            starts_on=decision.starts_on,
            ends_on=decision.ends_on,
        )
        avoided += max(asked_cost - decision.expected_cost, Decimal("0.00"))
    return avoided
