"""Cost figures: the expected cost of granted decisions (volume x unit price over the period)
per provision, team, district and month, against the budget the municipality set; beside it the
realised cost, from the real delivery the providers reported (start 305 to stop 307, up to today),
and what the accepted declarations (323) came to.

A decision counts in the year its support starts, with its whole expected cost; open-ended
support counts one year. Realised cost counts per day of delivery in the month it was delivered
(a one-off provision in the month it started). No personal data: only sums and counts. Every
figure is added up from base cells (provision, delivery form, team, district, month; the same cells
as the management information's costs), protected against differencing and suppressed below the
threshold (``wijkteam.suppression``); a cost is not shown where its count is not. The beschikker,
who takes every decision, sees the exact figures.
"""

from calendar import monthrange
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from areas.models import Municipality
from wijkteam.suppression import Cells, month_of, protect
from wijkteam.suppression import Count as ShownCount

from .models import Allocation, Budget, Decision, DecisionOutcome, DeclaredService, DeliveryForm, Frequency


@dataclass
class Row:
    label: str
    count: ShownCount
    cost: Decimal | None  # None where the count is not shown: a sum over few decisions tells as much
    budget: Decimal | None = None
    realised: Decimal | None = Decimal("0.00")  # None where it is the cost of too few allocations
    declared: Decimal | None = Decimal("0.00")  # likewise, of too few declared services

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
    realised_until: date | None = None


def granted_cell(provision: int, delivery: str, team: int, district: int | None, month) -> tuple:
    """The base cell of granted decisions, shared with ``insights.management_info``."""
    return ("granted", provision, delivery, team, district, month_of(month))


def month_label(day: date) -> str:
    """ "maart 2026": a month as Dutch readers expect it."""
    return date_format(day.replace(day=1), "F Y")


def _money(cells: Cells, key: Hashable) -> Decimal | None:
    """A sum of money over the cells of ``key``, or None where their count is not shown."""
    return None if cells.count(key).suppressed else cells.amount(key)


def _rows(cells: Cells, margin: str, labels: dict, *, delivered: Cells, declared: Cells, budgets=None) -> list[Row]:
    """The rows of one breakdown: every key with a decision granted this year or care delivered or
    declared in it (support granted in an earlier year), in the order of their labels."""
    present = {key for source in (cells, delivered, declared) for key in source.true if key[0] == margin}
    keys = sorted(present, key=lambda key: labels[key[1]][0])
    counts = protect([cells.count(key) for key in keys])  # the rows add up to the total above them
    return [
        Row(
            label=labels[key[1]][1],
            count=count,
            cost=None if count.suppressed else cells.amount(key),
            budget=None if budgets is None else budgets.get(key[1]),
            realised=_money(delivered, key),
            declared=_money(declared, key),
        )
        for key, count in zip(keys, counts, strict=True)
    ]


def _keys(provision, form, team_name, district_name, month: date) -> list[tuple]:
    keys = [("total",), ("provision", provision), ("team", team_name), ("district", district_name)]
    if form is not None:
        keys.append(("delivery", form))
    return [*keys, ("month", month_of(month))]


def cost_figures(*, municipality: Municipality, year: int, exact: bool = False) -> Figures:
    decisions = Decision.objects.filter(
        advice__case__team__municipality=municipality, outcome=DecisionOutcome.GRANTED, starts_on__year=year
    )
    budgets = {b.provision_id: b.amount for b in Budget.objects.filter(municipality=municipality, year=year)}
    cells = Cells(exact=exact)
    delivery = dict(DeliveryForm.choices)
    # Per margin: key -> (sort key, label).
    labels: dict[str, dict] = {"provision": {}, "delivery": {}, "team": {}, "district": {}, "month": {}}

    def label(provision, provision_name, form, team_name, district_name, month: date) -> None:
        labels["provision"][provision] = (provision_name, provision_name)
        if form is not None:
            labels["delivery"][form] = (str(delivery.get(form, form)), str(delivery.get(form, form)))
        labels["team"][team_name] = (team_name, team_name)
        labels["district"][district_name] = (district_name or "?", district_name or "?")
        labels["month"][month_of(month)] = (month_of(month), month_label(month))

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
        label(provision, provision_name, form, team_name, district_name, month)
        keys = _keys(provision, form, team_name, district_name, month)
        cells.add(granted_cell(provision, form, team, district, month), n, keys, amount=cost or Decimal("0.00"))
    until = min(timezone.localdate(), date(year, 12, 31))
    delivered = _realised(municipality, year, until, exact=exact, label=label)
    declared = _declared(municipality, year, exact=exact, label=label)
    total = cells.count(("total",))
    figures = Figures(
        year=year,
        total=Row(
            label="",
            count=total,
            cost=None if total.suppressed else cells.amount(("total",)),
            budget=budgets.get(None),
            realised=_money(delivered, ("total",)),
            declared=_money(declared, ("total",)),
        ),
        realised_until=until,
    )
    parts = {"delivered": delivered, "declared": declared}
    figures.by_provision = _rows(cells, "provision", labels["provision"], budgets=budgets, **parts)
    figures.by_delivery = _rows(cells, "delivery", labels["delivery"], **parts)
    figures.by_team = _rows(cells, "team", labels["team"], **parts)
    figures.by_district = _rows(cells, "district", labels["district"], **parts)
    figures.by_month = _rows(cells, "month", labels["month"], **parts)
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


# What the breakdowns need of an allocation's decision, as the allocation reaches it.
_DECISION = (
    "decision__provision_id",
    "decision__provision__name",
    "decision__delivery_form",
    "decision__advice__case__team_id",
    "decision__advice__case__team__name",
    "decision__advice__case__household__area_id",
    "decision__advice__case__household__area__name",
)


def _realised(municipality: Municipality, year: int, until: date, *, exact: bool, label) -> Cells:
    """The realised cost of every allocation whose care was started (305) and ran in ``year``: one
    base cell per provision, team, district and month of delivery, counting allocations."""
    delivered = Cells(exact=exact)
    allocations = (
        Allocation.objects.filter(
            decision__advice__case__team__municipality=municipality,
            started_on__isnull=False,
            started_on__lte=until,
            decision__unit_price__isnull=False,
        )
        .filter(Q(stopped_on__isnull=True) | Q(stopped_on__gte=date(year, 1, 1)))
        .values_list(
            "started_on", "stopped_on", "decision__volume", "decision__frequency", "decision__unit_price", *_DECISION
        )
    )
    for started_on, stopped_on, volume, frequency, price, *decision in allocations.iterator(chunk_size=2000):
        provision, provision_name, form, team, team_name, district, district_name = decision
        months = realised_by_month(
            started_on=started_on,
            stopped_on=stopped_on,
            volume=volume or 0,
            frequency=frequency,
            unit_price=price,
            year=year,
            until=until,
        )
        for month, amount in months.items():
            if not amount:
                continue
            day = date(year, month, 1)
            label(provision, provision_name, form, team_name, district_name, day)
            cell = ("realised", provision, form, team, district, month_of(day))
            delivered.add(cell, 1, _keys(provision, form, team_name, district_name, day), amount=amount)
    return delivered


def _declared(municipality: Municipality, year: int, *, exact: bool, label) -> Cells:
    """The accepted declarations (323) for services delivered in ``year``, one base cell per
    provision, team, district and month, counting declared services."""
    declared = Cells(exact=exact)
    services = (
        DeclaredService.objects.filter(
            accepted=True,
            allocation__isnull=False,
            message__municipality=municipality,
            starts_on__year=year,
        )
        .annotate(m=TruncMonth("starts_on"))
        .order_by()
        .values_list(*(f"allocation__{path}" for path in _DECISION), "m")
        .annotate(n=Count("pk"), total=Sum("amount"))
    )
    for provision, provision_name, form, team, team_name, district, district_name, month, n, total in services:
        label(provision, provision_name, form, team_name, district_name, month)
        cell = ("declared", provision, form, team, district, month_of(month))
        declared.add(cell, n, _keys(provision, form, team_name, district_name, month), amount=total)
    return declared


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
