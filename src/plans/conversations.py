"""Writes of the kitchen-table conversation (keukentafelgesprek): the report with the network's
commitments, the resident's comments, and corrections of the report kept in the history."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case
from cases.services import case_advance, record_changed, record_event
from people.models import NetworkMember, Resident
from privacy.history import tracking
from provisions.models import Provision
from wijkteam.text import written_text

from .models import (
    Comment,
    Commitment,
    Conversation,
)


@transaction.atomic
def conversation_record(
    *,
    case: Case,
    by: User,
    held_on: date,
    question_asked: str,
    conclusion: str,
    question_behind: str = "",
    own_strength: str = "",
    network_strength: str = "",
    place: str = "",
    residents: Iterable[Resident] = (),
    network_members: Iterable[NetworkMember] = (),
    professionals: Iterable[User] = (),
    others: str = "",
    commitments: dict[NetworkMember, str] | None = None,
    provisions: Iterable[Provision] = (),
) -> Conversation:
    """Record the kitchen-table conversation. Commitments of the network are also kept on the
    network member ('what they do'), so the household page shows them. A case that was only
    reported moves to the investigation (``cases.workflow.WORK``)."""
    if case.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A conversation that took place cannot be in the future.")})
    household_residents = set(case.household.members.values_list("resident_id", flat=True))
    residents, network_members = list(residents), list(network_members)
    if any(r.pk not in household_residents for r in residents):
        raise ValidationError(_("Only members of the household can be at the table as residents."))
    if any(m.resident_id not in household_residents for m in network_members):
        raise ValidationError(_("Only the household's network can be chosen."))
    conversation = Conversation.objects.create(
        case=case,
        by=by,
        held_on=held_on,
        place=place,
        others=others,
        question_asked=question_asked,
        question_behind=question_behind,
        own_strength=own_strength,
        network_strength=network_strength,
        conclusion=conclusion,
    )
    conversation.residents.set(residents)
    conversation.network_members.set(network_members)
    conversation.professionals.set(list(professionals) or [by])
    conversation.provisions.set(provisions)
    for member, text in (commitments or {}).items():
        text = text.strip()
        if not text:
            continue
        if member.resident_id not in household_residents:
            raise ValidationError(_("Only the household's network can be chosen."))
        Commitment.objects.create(conversation=conversation, network_member=member, text=text)
        NetworkMember.objects.filter(pk=member.pk).update(support=text[:300])
    record_event(
        case=case,
        by=by,
        kind="conversation",
        summary=gettext_noop("Kitchen-table conversation on %(when)s"),
        data={"when": held_on.strftime("%d-%m-%Y"), "conversation_id": conversation.pk},
        note=conclusion,
    )
    # The conversation is the investigation: a case still reported moves to it (one history entry).
    case_advance(case=case, work="conversation", by=by)
    return conversation


COMMENT_MAX = 4000


@transaction.atomic
def comment_add(
    *,
    conversation: Conversation,
    text: str,
    by: User | None,
    received_on: date | None = None,
    via_portal: bool = False,
) -> Comment:
    """Add the resident's comment on the report; it stays with the report and is printed with it.
    ``via_portal``: the resident wrote it in Mijn Wijkteam (``by`` None: no team member)."""
    text = written_text(text, most=COMMENT_MAX, empty=_("A comment cannot be empty."))
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("This date cannot be in the future.")})
    comment = Comment.objects.create(
        conversation=conversation, text=text, received_on=received_on, by=by, via_portal=via_portal
    )
    record_event(
        case=conversation.case,
        by=by,
        kind="conversation_comment",
        summary=gettext_noop("The resident commented on the report of %(when)s in Mijn Wijkteam")
        if via_portal
        else gettext_noop("The resident commented on the report of %(when)s"),
        data={"when": conversation.held_on.strftime("%d-%m-%Y")},
    )
    return comment


REPORT_FIELDS = [
    "held_on",
    "place",
    "others",
    "question_asked",
    "question_behind",
    "own_strength",
    "network_strength",
    "conclusion",
]


@transaction.atomic
def conversation_correct(
    *, conversation: Conversation, by: User, reason: str, rectification: bool = False, **report: Any
) -> Conversation:
    """Correct the report of a conversation (for example at the resident's request, AVG art. 16).
    The report keeps its place; each changed passage goes into the history with the old and the
    new text and the reason."""
    unknown = set(report) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    errors = {}
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the correction.")]
    if "held_on" in report and report["held_on"] > timezone.localdate():
        errors["held_on"] = [_("A conversation that took place cannot be in the future.")]
    for required in ("question_asked", "conclusion"):
        if required in report and not str(report[required]).strip():
            errors[required] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    current = Conversation.objects.select_for_update().select_related("case").get(pk=conversation.pk)
    label = current.held_on.strftime("%d-%m-%Y")
    with tracking(
        current, sorted(report), by=by, case=current.case, reason=reason, rectification=rectification, label=label
    ) as changes:
        for name, value in report.items():
            setattr(current, name, value.strip() if isinstance(value, str) else value)
        current.save(update_fields=list(report))
    if not changes:
        raise ValidationError(_("Nothing has changed."))
    record_changed(case=current.case, by=by, changes=changes, reason=reason)
    return current
