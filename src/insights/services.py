"""Writes of the insights app: keyword-only, one transaction each, allowed state changes only."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from provisions.models import Provision, ProvisionKind
from teams.services import led_team_ids_of, team_ids_of
from wijkteam.limits import MAX_AMOUNT, MAX_BUDGET, MIN_BUDGET, amount_validators

from .models import (
    SIGNAL_TRANSITIONS,
    Initiative,
    InitiativeExpense,
    InitiativeParticipant,
    Signal,
    SignalStatus,
)


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


def signal_answer_read(*, signal: Signal, by) -> None:
    """Who raised the signal has read its answer: it is no longer news on their start page."""
    if signal.raised_by_id == by.pk and signal.status == SignalStatus.ANSWERED and signal.answer_read_at is None:
        Signal.objects.filter(pk=signal.pk, answer_read_at__isnull=True).update(answer_read_at=timezone.now())


# --- neighbourhood initiatives (wijkinitiatieven) -------------------------------------------------


@transaction.atomic
def initiative_start(
    *, by, team, name: str, description: str, area, budget: Decimal, started_on: date, theme=None
) -> Initiative:
    """The team leader starts a collective provision; it enters the sociale kaart for its district."""
    if team.pk not in led_team_ids_of(by):
        raise PermissionDenied
    _check_amount("budget", budget, amount_validators(MAX_BUDGET, MIN_BUDGET))
    if Provision.objects.filter(municipality=team.municipality, name=name).exists():
        raise ValidationError({"name": _("The sociale kaart already has a provision with this name.")})
    provision = Provision.objects.create(
        municipality=team.municipality,
        kind=ProvisionKind.COLLECTIEF,
        name=name,
        description=description,
        phone=team.phone,
        email=team.email,
    )
    provision.areas.set([area])
    if theme is not None:
        provision.life_domains.set([theme])
    return Initiative.objects.create(
        provision=provision, team=team, area=area, theme=theme, budget=budget, started_on=started_on, created_by=by
    )


def _check_amount(name: str, amount: Decimal, validators) -> None:
    """The bounds of ``wijkteam.limits``, also for a caller that did not pass a form."""
    try:
        for validator in validators:
            validator(amount)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


def _lead(initiative: Initiative, by) -> None:
    if initiative.team_id not in led_team_ids_of(by):
        raise PermissionDenied


@transaction.atomic
def initiative_spend(
    *, initiative: Initiative, by, spent_on: date, amount: Decimal, description: str
) -> InitiativeExpense:
    _lead(initiative, by)
    _check_amount("amount", amount, amount_validators(MAX_AMOUNT))
    if not initiative.started_on <= spent_on <= timezone.localdate():
        raise ValidationError(
            {
                "spent_on": _("An expense is dated from the start of the initiative (%(start)s) up to today.")
                % {"start": date_format(initiative.started_on, "j F Y")}
            }
        )
    return InitiativeExpense.objects.create(
        initiative=initiative, spent_on=spent_on, amount=amount, description=description, recorded_by=by
    )


@transaction.atomic
def initiative_evaluate(*, initiative: Initiative, by, evaluation: str, evaluated_on: date) -> Initiative:
    _lead(initiative, by)
    initiative.evaluation, initiative.evaluated_on = evaluation.strip(), evaluated_on
    initiative.save(update_fields=["evaluation", "evaluated_on"])
    return initiative


@transaction.atomic
def initiative_join(*, initiative: Initiative, by, household, joined_on: date) -> InitiativeParticipant:
    """Link a household the professional may see (the caller passed it through the gate)."""
    if initiative.team_id not in team_ids_of(by):
        raise PermissionDenied
    participant, created = InitiativeParticipant.objects.get_or_create(
        initiative=initiative, household=household, defaults={"joined_on": joined_on, "added_by": by}
    )
    if not created:
        raise ValidationError({"reference": _("This household already takes part.")})
    return participant
