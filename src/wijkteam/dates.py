"""Calendar arithmetic shared by the apps."""

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; from the 29th-31st, the last day of a shorter month
    (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_days(start: date, end: date) -> tuple[datetime, datetime]:
    """The moments from the start of ``start`` up to (not including) the start of the day after
    ``end``, in local time: a range on a timestamp column that its index can serve."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )
