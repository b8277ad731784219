"""Cost figures: the expected cost of granted decisions (volume x unit price over the period)
per provision, team, district and month, against the budget the municipality set; beside it the
realised cost, from the real delivery the providers reported (start 305 to stop 307, up to today),
and what the accepted declarations (323) came to.

A decision counts in the year its support starts, with its whole expected cost; open-ended
support counts one year. Realised cost counts per day of delivery in the month it was delivered
(a one-off provision in the month it started). No personal data: only sums and counts, small
counts suppressed.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.formats import date_format

from areas.models import Municipality
from insights.suppression import Count as ShownCount

from .models import Allocation, Budget, Decision, DecisionOutcome, DeclaredService, DeliveryForm, Frequency


@dataclass
class Row:
    label: str
    count: int
    cost: Decimal
    budget: Decimal | None = None
    realised: Decimal = Decimal("0.00")
    declared: Decimal = Decimal("0.00")
    order: int = 0  # months: their number, for the order

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
    realised_until: date | None = None


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
    figures.by_month = _rows(months, "month", lambda month: month_label(year, month))
    numbers = {month_label(year, month): month for month in range(1, 13)}
    for row in figures.by_month:
        row.order = numbers[row.label]
    refused = Decision.objects.filter(
        advice__case__team__municipality=municipality, outcome=DecisionOutcome.REFUSED, decided_on__year=year
    )
    figures.refused = refused.count()
    figures.avoided = _avoided(municipality, year)
    _add_realised(figures, municipality, year)
    _add_declared(figures, municipality, year)
    return figures


# Keys of the breakdowns, as the allocation reaches them.
_BY = {
    "by_provision": "decision__provision__name",
    "by_team": "decision__advice__case__team__name",
    "by_district": "decision__advice__case__household__area__name",
}


def month_label(year: int, month: int) -> str:
    """ "maart 2026": a month as Dutch readers expect it."""
    return date_format(date(year, month, 1), "F Y")


def _row(rows: list[Row], label: str) -> Row:
    """The row with ``label``, added (with no decisions) when support granted in an earlier year
    was delivered this year."""
    for row in rows:
        if row.label == label:
            return row
    rows.append(Row(label=label, count=0, cost=Decimal("0.00")))
    return rows[-1]


def _per_day(volume: int, frequency: str, unit_price: Decimal) -> Decimal:
    amount = Decimal(volume) * unit_price
    return {
        Frequency.PER_DAY: amount,
        Frequency.PER_WEEK: amount / Decimal(7),
        Frequency.PER_MONTH: amount / Decimal("30.4375"),
    }[frequency]


def realised_by_month(
    *,
    started_on: date,
    stopped_on: date | None,
    volume: int,
    frequency: str,
    unit_price: Decimal,
    year: int,
    until: date,
) -> dict[int, Decimal]:
    """What an allocation's real delivery cost in each month of ``year`` up to ``until``."""
    if frequency == Frequency.TOTAL:
        if started_on.year == year and started_on <= until:
            return {started_on.month: (Decimal(volume) * unit_price).quantize(Decimal("0.01"))}
        return {}
    first = max(started_on, date(year, 1, 1))
    last = min(stopped_on or until, until, date(year, 12, 31))
    daily = _per_day(volume, frequency, unit_price)
    months: dict[int, Decimal] = {}
    day = first
    while day <= last:
        month_end = min(date(day.year, day.month, monthrange(day.year, day.month)[1]), last)
        months[day.month] = (daily * ((month_end - day).days + 1)).quantize(Decimal("0.01"))
        day = month_end + timedelta(days=1)
    return months


def _add_realised(figures: Figures, municipality: Municipality, year: int) -> None:
    """The realised cost of every allocation whose care was started (305) and ran in ``year``."""
    until = min(timezone.localdate(), date(year, 12, 31))
    figures.realised_until = until
    allocations = (
        Allocation.objects.filter(
            decision__advice__case__team__municipality=municipality,
            started_on__isnull=False,
            started_on__lte=until,
            decision__unit_price__isnull=False,
        )
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=date(year, 1, 1)))
        .values_list(
            "started_on",
            "stopped_on",
            "decision__volume",
            "decision__frequency",
            "decision__unit_price",
            *_BY.values(),
        )
    )
    total = Decimal("0.00")
    for started_on, stopped_on, volume, frequency, price, *labels in allocations.iterator(chunk_size=2000):
        months = realised_by_month(
            started_on=started_on,
            stopped_on=stopped_on,
            volume=volume or 0,
            frequency=frequency,
            unit_price=price,
            year=year,
            until=until,
        )
        amount = sum(months.values(), Decimal("0.00"))
        if not amount:
            continue
        total += amount
        for (name, _path), label in zip(_BY.items(), labels, strict=True):
            _row(getattr(figures, name), label or "?").realised += amount
        for month, part in months.items():
            row = _row(figures.by_month, month_label(year, month))
            row.realised += part
            row.order = month
    figures.total.realised = total
    figures.by_month.sort(key=lambda row: row.order)


def _add_declared(figures: Figures, municipality: Municipality, year: int) -> None:
    """The accepted declarations (323) for services delivered in ``year``."""
    services = DeclaredService.objects.filter(
        accepted=True,
        allocation__isnull=False,
        message__municipality=municipality,
        starts_on__year=year,
    )
    for name, path in _BY.items():
        key = f"allocation__{path}"
        for row in services.values(key).annotate(total=Sum("amount")).order_by(key):
            _row(getattr(figures, name), row[key] or "?").declared += row["total"]
    figures.total.declared = sum((row.declared for row in figures.by_provision), Decimal("0.00"))
    for row in services.annotate(month=ExtractMonth("starts_on")).values("month").annotate(total=Sum("amount")):
        month = _row(figures.by_month, month_label(year, row["month"]))
        month.declared += row["total"]
        month.order = row["month"]
    figures.by_month.sort(key=lambda row: row.order)


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
