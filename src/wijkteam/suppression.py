"""What policy screens and exports may show of counts of people.

Two protections, both applied to every aggregate that a policy user (or anyone outside the team
whose cases are counted) can reach — pages, CSV/XLSX exports, map data and the API:

1. **Suppression.** Below the threshold a count reads "< 10" (``settings.WIJKTEAM
   ["SUPPRESSION_THRESHOLD"]``), and so does anything derived from it (a rate, a share); where
   parts add up to a total that is shown, one more part is hidden ("x", ``protect``).

2. **Protection against differencing** (docs/privacy.md, "Small numbers"). Suppression per table
   does not stop someone from asking twice: the same period one day longer, or two overlapping
   districts, and subtracting. So every published count is a sum of *base cells* — what is
   counted, team, district, calendar month and category — each perturbed once and for all with a
   small deterministic noise taken from a secret cell key (the cell-key method of Statistics
   Netherlands and the Australian Bureau of Statistics): ``Cells``. Periods are whole calendar
   months (``whole_months``), so no query isolates a day; a difference between any two published
   counts is a sum of perturbed cells, never an exact count; asking again gives the same answer,
   so repeating a question reveals nothing new.

Professionals looking at their own team's cases, which they see anyway, may get exact counts
(``Cells(exact=True)``); the callers decide that and say so.
"""

import functools
import hashlib
import hmac
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from wijkteam.numbers import number

HIDDEN = "x"


def threshold() -> int:
    return int(settings.WIJKTEAM["SUPPRESSION_THRESHOLD"])


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: ``value`` is None when it is suppressed."""

    value: int | None
    limit: int
    secondary: bool = False  # hidden only so that a small count cannot be worked out from a total

    @classmethod
    def of(cls, number: int, *, shown: int | None = None) -> "Count":
        """``number`` counted; ``shown`` what may be published of it (perturbed, ``Cells``), by
        default the number itself. Suppressed when either is below the threshold, so a shown
        count is never the count of fewer cases than the threshold."""
        limit = threshold()
        shown = number if shown is None else shown
        return cls(shown if number >= limit and shown >= limit else None, limit)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.secondary:
            return HIDDEN
        return f"< {self.limit}" if self.value is None else number(self.value)

    def as_data(self) -> str:
        """The count as text for programs (the API): as shown, but without thousands separators
        ("1234", "< 10", "x"), which a program would read as a decimal point."""
        if self.secondary:
            return HIDDEN
        return f"< {self.limit}" if self.value is None else str(self.value)

    def rate(self, population: int | None, per: int = 1000) -> "Shown":
        """Per ``per`` inhabitants, one decimal, from the count as shown; hidden ("x") with the
        count: a rate is not a count, so "< 10" beside it would misread as a rate below ten."""
        if self.value is None:
            return Shown(None, HIDDEN)
        if not population:
            return Shown(None, "-")
        value = (Decimal(self.value) * per / population).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return Shown(value, number(value, 1))

    def share_of(self, total: "Count") -> "Shown":
        """A percentage of ``total``; suppressed when either count is."""
        if self.value is None or total.value is None:
            return Shown(None, HIDDEN if self.value is None else "-")
        if not total.value:
            return Shown(None, "-")
        value = (Decimal(self.value) * 100 / total.value).quantize(Decimal("1"), ROUND_HALF_UP)
        return Shown(value, f"{value}%")


@dataclass(frozen=True)
class Shown:
    """A derived figure: ``value`` for charts and sorting, ``text`` for people and exports."""

    value: Decimal | None
    text: str

    def __str__(self) -> str:
        return self.text


def as_data(value) -> str:
    """A count or derived figure as text for programs: ``Count.as_data``, else its text."""
    return value.as_data() if isinstance(value, Count) else str(value)


def protect(parts: list[Count]) -> list[Count]:
    """Secondary suppression for the parts of a total that is shown too.

    With one part suppressed, the total minus the shown parts would give it away; so the smallest
    shown part is hidden as well (shown as "x"). Two or more suppressed parts reveal only their sum.
    """
    suppressed = [part for part in parts if part.value is None]
    shown = [(index, part) for index, part in enumerate(parts) if part.value is not None]
    if len(suppressed) != 1 or not shown:
        return parts
    index, part = min(shown, key=lambda pair: pair[1].value)
    protected = list(parts)
    protected[index] = Count(None, part.limit, secondary=True)
    return protected


# --- protection against differencing -------------------------------------------------------------

# The perturbation table: the noise added to a base cell of n cases (n > 0), in tenths of
# probability. Zero on average, so sums stay unbiased; at most 2 either way; never below zero, so a
# single case has its own row. Whatever is published of one cell, at least three true values could
# have given it (docs/privacy.md). An empty cell stays empty: it says nothing about anyone.
NOISE_ONE = ((-1, 4), (0, 3), (1, 2), (2, 1))  # one case: published 0, 1, 2 or 3
NOISE = ((-2, 1), (-1, 2), (0, 4), (1, 2), (2, 1))  # two or more: variance 1.2
MAX_NOISE = 2
MONEY_NOISE = Decimal("0.05")  # an amount of a cell moves by this share per step of its noise


@functools.lru_cache(maxsize=4)
def _cell_secret(key: str) -> bytes:
    """The secret behind every cell key: derived from the BSN hash key, which never changes (BSNs
    are found with it), so a cell's noise never changes either and asking again gives nothing new."""
    return hmac.new(key.encode(), b"wijkteam: cell-key perturbation", hashlib.sha256).digest()


def noise(cell: tuple[Hashable, ...], n: int) -> int:
    """The noise of a base cell of ``n`` cases: drawn from the table with the cell key, an HMAC of
    the cell's identity and its count. The same cell with the same count always gets the same noise;
    a cell whose count changed gets a new draw."""
    if n <= 0:
        return 0
    text = "|".join(str(part) for part in (*cell, n))
    digest = hmac.new(_cell_secret(settings.BSN_HASH_KEY), text.encode(), hashlib.sha256).digest()
    draw = int.from_bytes(digest[:8], "big") % 10
    for step, weight in NOISE_ONE if n == 1 else NOISE:
        if draw < weight:
            return step
        draw -= weight
    raise AssertionError("the weights add up to ten")  # pragma: no cover


def perturbed(cell: tuple[Hashable, ...], n: int) -> int:
    return n + noise(cell, n)


class Cells:
    """Counts (and amounts) added up from base cells, as they may be published.

    ``add(cell, n, keys)`` adds a base cell of ``n`` cases to each of ``keys`` (the rows and totals
    it belongs to). A cell names everything that sets it apart: what is counted, its category, the
    team, the district and the calendar month, e.g. ``("case", "triage", "80", 3, 12, "2025-03")``;
    the same records must always fall in the same cell, whichever page asks. With ``exact`` (a
    team's own cases, for professionals who see those cases anyway) the counts are added and shown
    as they are, small ones too.
    """

    def __init__(self, *, exact: bool = False) -> None:
        self.exact = exact
        self.true: Counter = Counter()
        self.shown: Counter = Counter()
        self.money: dict[Hashable, Decimal] = {}

    def add(self, cell: tuple[Hashable, ...], n: int, keys, *, amount: Decimal | None = None) -> None:
        step = 0 if self.exact else noise(cell, n)
        if amount is not None and step:
            amount = amount * (1 + step * MONEY_NOISE)
        for key in keys:
            self.true[key] += n
            self.shown[key] += n + step
            if amount is not None:
                self.money[key] = self.money.get(key, Decimal("0.00")) + amount

    def add_counted(self, n: int, noise_sum: int, keys) -> None:
        """Add ``n`` cases of base cells whose noise is already drawn and summed (``noise_sum``):
        the month rows of ``insights.tallies`` carry theirs, so readers add both up in SQL."""
        for key in keys:
            self.true[key] += n
            self.shown[key] += n if self.exact else n + noise_sum

    def count(self, key: Hashable) -> Count:
        if self.exact:  # the team's own cases: no noise, and nothing below the threshold to hide
            return Count(self.true[key], threshold())
        return Count.of(self.true[key], shown=self.shown[key])

    def amount(self, key: Hashable) -> Decimal:
        return self.money.get(key, Decimal("0.00")).quantize(Decimal("0.01"), ROUND_HALF_UP)


def month_of(day: date) -> str:
    """The month part of a base cell."""
    return f"{day:%Y-%m}"


def whole_months(start: date, end: date) -> tuple[date, date]:
    """The period widened to whole calendar months: the first day of ``start``'s month to the last
    day of ``end``'s. Protected figures are counted per month, so a period that ends a day later
    in the same month gives exactly the same figures."""
    first = start.replace(day=1)
    last = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return first, last
