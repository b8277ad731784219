"""Reads of contacts for the pages, beside the writes in ``services.py``: only contacts of cases
the user may see (``Case.objects.visible_to``)."""

from datetime import date

from django.db.models import Count, DateField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from cases.access import led_team_ids_of
from cases.models import Case
from people.models import names_of
from plans.models import Conversation

from .models import Contact, ContactStatus, Message
from .services import UNREGISTERED_AFTER, unregistered


def with_contact_dates(cases: QuerySet) -> QuerySet:
    """``cases`` with ``next_contact`` (the first planned) and ``last_contact``: the day of the last
    contact held or kitchen-table conversation, whichever was later (a conversation is contact too)."""
    planned = Contact.objects.filter(case=OuterRef("pk"), status=ContactStatus.PLANNED).order_by("planned_at")
    done = (
        Contact.objects.filter(case=OuterRef("pk"), status=ContactStatus.DONE)
        .order_by("-happened_at")
        .annotate(day=TruncDate("happened_at"))
    )
    talked = Conversation.objects.filter(case=OuterRef("pk")).order_by("-held_on")
    visit = Subquery(done.values("day")[:1], output_field=DateField())
    talk = Subquery(talked.values("held_on")[:1], output_field=DateField())
    return cases.annotate(
        next_contact=Subquery(planned.values("planned_at")[:1]),
        # Greatest is NULL on SQLite when either is: each side falls back on the other.
        last_contact=Greatest(Coalesce(visit, talk), Coalesce(talk, visit)),
    )


def agenda(user, *, until: date, limit: int = 50) -> list[Contact]:
    """The user's planned visits from now (and those just past) up to ``until``."""
    return list(
        Contact.objects.filter(
            professional=user,
            status=ContactStatus.PLANNED,
            planned_at__gte=timezone.now() - UNREGISTERED_AFTER,
            planned_at__date__lte=until,
            case__in=Case.objects.visible_to(user),
        )
        .select_related("case__resident")
        .only("planned_at", "kind", "case_id", "case__resident", *names_of("case__resident"))
        .order_by("planned_at")[:limit]
    )


def reminders(user, *, limit: int = 50) -> list[Contact]:
    """Planned visits whose time has passed without being registered."""
    return list(
        unregistered(user)
        .filter(case__in=Case.objects.visible_to(user))
        .select_related("case__resident")
        .only("planned_at", "kind", "case_id", "case__resident", *names_of("case__resident"))[:limit]
    )


def addressed_to(user, case: Case) -> bool:
    """Whom the resident's messages on ``case`` are for: its regisseur; while it has none, the
    leaders of its team (the team's work queue). Their opening of the thread marks them read."""
    if case.regisseur_id is not None:
        return case.regisseur_id == user.pk
    return case.team_id in led_team_ids_of(user)


def _addressed_cases(user) -> QuerySet:
    mine = Q(regisseur=user)
    led = led_team_ids_of(user)
    if led:
        mine |= Q(regisseur__isnull=True, team_id__in=led)
    return Case.objects.visible_to(user).filter(mine)


def unread_for(user) -> list[Case]:
    """The cases with messages from the resident the user has not read yet (they are addressed to
    the user), with ``unread``: how many; oldest first. One query."""
    return list(
        _addressed_cases(user)
        .annotate(unread=Count("messages", filter=Q(messages__from_resident=True, messages__read_at__isnull=True)))
        .filter(unread__gt=0)
        .select_related("resident")
        .only("reference", "resident", *names_of("resident"))
        .order_by("pk")
    )


def unread_count(user) -> int:
    """How many messages from residents wait for the user (for 'Mijn werk'). One query."""
    return Message.objects.filter(case__in=_addressed_cases(user), from_resident=True, read_at__isnull=True).count()
