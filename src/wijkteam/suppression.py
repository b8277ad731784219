"""Small counts are never shown to policy screens or exports: below the threshold a count reads
"< 10" (``settings.WIJKTEAM["SUPPRESSION_THRESHOLD"]``), and so does anything derived from it
(a rate, a share). Every aggregate that leaves the insights app passes through ``Count``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

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
    def of(cls, number: int) -> "Count":
        limit = threshold()
        return cls(number if number >= limit else None, limit)

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.secondary:
            return HIDDEN
        return f"< {self.limit}" if self.value is None else str(self.value)

    def rate(self, population: int | None, per: int = 1000) -> "Shown":
        """Per ``per`` inhabitants, one decimal; suppressed with the count."""
        if self.value is None:
            return Shown(None, str(self))
        if not population:
            return Shown(None, "-")
        value = (Decimal(self.value) * per / population).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return Shown(value, str(value).replace(".", ","))

    def share_of(self, total: "Count") -> "Shown":
        """A percentage of ``total``; suppressed when either count is."""
        if self.value is None or total.value is None:
            return Shown(None, str(self) if self.value is None else "-")
        value = (Decimal(self.value) * 100 / total.value).quantize(Decimal("1"), ROUND_HALF_UP)
        return Shown(value, f"{value}%")


@dataclass(frozen=True)
class Shown:
    """A derived figure: ``value`` for charts and sorting, ``text`` for people and exports."""

    value: Decimal | None
    text: str

    def __str__(self) -> str:
        return self.text


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
