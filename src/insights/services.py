"""Writes of the insights app: keyword-only, one transaction each, allowed state changes only."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from teams.services import led_team_ids_of, team_ids_of

from .models import SIGNAL_TRANSITIONS, Signal, SignalStatus


def _move(signal: Signal, to: str) -> None:
    if to not in SIGNAL_TRANSITIONS[signal.status]:
        raise ValidationError(
            _("This signal cannot move from “%(old)s” to “%(new)s”.")
            % {
                "old": signal.get_status_display(),
                "new": SignalStatus(to).label,
            }
        )
    signal.status = to


@transaction.atomic
def signal_raise(*, by, team, title: str, description: str, area=None, theme=None, evidence: str = "") -> Signal:
    if team.pk not in team_ids_of(by):
        raise PermissionDenied
    return Signal.objects.create(
        team=team, raised_by=by, title=title, description=description, area=area, theme=theme, evidence=evidence
    )


@transaction.atomic
def signal_forward(*, signal: Signal, by, to, due_on: date, note: str = "") -> Signal:
    """The team leader forwards a signal from the meeting list to the responsible policy officer."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.team_id not in led_team_ids_of(by):
        raise PermissionDenied
    if to.role != Role.POLICY_OFFICER or to.municipality_id != signal.team.municipality_id:
        raise ValidationError({"policy_officer": _("Choose a policy officer of this municipality.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date lies in the past.")})
    _move(signal, SignalStatus.FORWARDED)
    signal.forwarded_by, signal.forwarded_at = by, timezone.now()
    signal.policy_officer, signal.due_on, signal.forward_note = to, due_on, note
    signal.save()
    return signal


@transaction.atomic
def signal_answer(*, signal: Signal, by, answer: str) -> Signal:
    """The policy officer answers; the team that raised the signal sees the answer."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.policy_officer_id != by.pk:
        raise PermissionDenied
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    _move(signal, SignalStatus.ANSWERED)
    signal.answer, signal.answered_by, signal.answered_at = answer.strip(), by, timezone.now()
    signal.save()
    return signal
