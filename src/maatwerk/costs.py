"""Cost figures: the expected cost of granted decisions (volume x unit price over the period)
per provision, team, district and month, against the budget the municipality set.

A decision counts in the year its support starts, with its whole expected cost; open-ended
support counts one year. No personal data: only sums and counts, small counts suppressed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth

from areas.models import Municipality
from wijkteam.suppression import Count as ShownCount

from .models import Budget, Decision, DecisionOutcome, DeliveryForm


@dataclass
class Row:
    label: str
    count: int
    cost: Decimal
    budget: Decimal | None = None

    @property
    def shown_count(self) -> str:
        """Small counts read "< 10" (the municipality's one suppression threshold); costs stay
        visible, as budget control needs them."""
        return str(ShownCount.of(self.count)) if self.count else "0"

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.cost

    @property
    def over(self) -> bool:
        return self.budget is not None and self.cost > self.budget


@dataclass
class Figures:
    year: int
    total: Row
    by_provision: list[Row] = field(default_factory=list)
    by_delivery: list[Row] = field(default_factory=list)
    by_team: list[Row] = field(default_factory=list)
    by_district: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    refused: int = 0
    avoided: Decimal = Decimal("0.00")


def _rows(queryset, key: str, label_of) -> list[Row]:
    return [
        Row(label=label_of(row[key]), count=row["n"], cost=row["cost"] or Decimal("0.00"))
        for row in queryset.values(key).annotate(n=Count("pk"), cost=Sum("expected_cost")).order_by(key)
    ]


def cost_figures(*, municipality: Municipality, year: int) -> Figures:
    decisions = Decision.objects.filter(
        advice__case__team__municipality=municipality, outcome=DecisionOutcome.GRANTED, starts_on__year=year
    )
    budgets = {b.provision_id: b.amount for b in Budget.objects.filter(municipality=municipality, year=year)}
    totals = decisions.aggregate(n=Count("pk"), cost=Sum("expected_cost"))
    figures = Figures(
        year=year,
        total=Row(
            label="",
            count=totals["n"],
            cost=totals["cost"] or Decimal("0.00"),
            budget=budgets.get(None),
        ),
    )
    for row in (
        decisions.values("provision_id", "provision__name")
        .annotate(n=Count("pk"), cost=Sum("expected_cost"))
        .order_by("provision__name")
    ):
        figures.by_provision.append(
            Row(
                label=row["provision__name"],
                count=row["n"],
                cost=row["cost"] or Decimal("0.00"),
                budget=budgets.get(row["provision_id"]),
            )
        )
    delivery = dict(DeliveryForm.choices)
    figures.by_delivery = _rows(decisions, "delivery_form", lambda value: str(delivery.get(value, value)))
    figures.by_team = _rows(decisions, "advice__case__team__name", str)
    figures.by_district = _rows(decisions, "advice__case__household__area__name", lambda name: name or "?")
    months = decisions.annotate(month=ExtractMonth("starts_on"))
    figures.by_month = _rows(months, "month", lambda month: f"{year}-{month:02d}")
    refused = Decision.objects.filter(
        advice__case__team__municipality=municipality, outcome=DecisionOutcome.REFUSED, decided_on__year=year
    )
    figures.refused = refused.count()
    figures.avoided = _avoided(municipality, year)
    return figures


def _avoided(municipality: Municipality, year: int) -> Decimal:
    """What the provisions that were asked for would have cost, minus what was granted instead
    (two vacuum cleaners instead of a stairlift)."""
    from .models import expected_cost

    avoided = Decimal("0.00")
    granted = Decision.objects.filter(
        advice__case__team__municipality=municipality,
        outcome=DecisionOutcome.GRANTED,
        starts_on__year=year,
        advice__requested_provision__isnull=False,
    ).select_related("advice__requested_provision")
    for decision in granted:
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
