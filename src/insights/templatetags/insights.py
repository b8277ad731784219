from django import template
from django.db.models import F
from django.utils import timezone

from accounts.models import Role
from insights.models import Signal, SignalStatus
from insights.notifications import unread_signal_answers
from teams.services import led_team_ids_of
from wijkteam.suppression import threshold

register = template.Library()


@register.simple_tag
def suppression_threshold() -> int:
    return threshold()


@register.inclusion_tag("insights/_bar_chart.html")
def bar_chart(rows, title: str) -> dict:
    """A horizontal bar chart (SVG, no script, no inline style) of the district's and the
    municipality's rate per row. Decorative for screen readers: the table beside it holds the data."""
    values = [
        (row.label, _number(row.district_figure), _number(row.municipality_figure), str(row.district_figure or ""))
        for row in rows
    ]
    top = max([v for _label, d, m, _t in values for v in (d, m) if v is not None] or [0])
    bar_width, row_height, label_width = 300, 34, 220
    bars = []
    for index, (label, district, town, text) in enumerate(values):
        y = index * row_height
        bars.append(
            {
                "label": label,
                "y": y,
                "text_y": y + 14,
                "district": round(district / top * bar_width, 1) if district and top else 0,
                "town": round(town / top * bar_width, 1) if town and top else 0,
                "town_y": y + 16,
                "text": text,
                "value_x": label_width + bar_width + 6,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "label_width": label_width,
        "width": label_width + bar_width + 70,
        "height": max(1, len(values)) * row_height,
    }


def _number(shown) -> float | None:
    value = getattr(shown, "value", None)
    return float(value) if value is not None else None


@register.inclusion_tag("insights/_dashboard_signals.html", takes_context=True)
def signals_for_dashboard(context) -> dict:
    """For Mijn werk. A team leader: the signals waiting for the team leaders' meeting and the
    forwarded ones not answered in time. A policy officer: the signals forwarded to them that await
    their answer, the nearest due date first. Everyone: the answers to signals they raised that they
    have not read yet (``insights.notifications``).
    Usage: ``{% load insights %}{% signals_for_dashboard %}``."""
    user = context["request"].user
    answered = unread_signal_answers(user)
    shown = _signals_to_handle(user, timezone.localdate())
    return {**shown, "answered": answered, "show": shown["show"] or bool(answered)}


def _signals_to_handle(user, today) -> dict:
    if user.role == Role.POLICY_OFFICER:
        awaiting = list(
            Signal.objects.filter(policy_officer=user, status=SignalStatus.FORWARDED)
            .only("pk", "title", "status", "due_on")
            .order_by(F("due_on").asc(nulls_last=True), "pk")
        )
        return {"show": True, "awaiting": awaiting, "today": today}
    led = led_team_ids_of(user)
    if not led:
        return {"show": False}
    signals = list(
        Signal.objects.filter(team_id__in=led, status__in=[SignalStatus.RAISED, SignalStatus.FORWARDED]).only(
            "pk", "title", "status", "due_on"
        )
    )
    return {
        "show": True,
        "leads": True,
        "waiting": [s for s in signals if s.status == SignalStatus.RAISED],
        "overdue": [s for s in signals if s.status == SignalStatus.FORWARDED and s.due_on and s.due_on < today],
    }
