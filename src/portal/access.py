"""The resident's gate in Mijn Wijkteam: what a signed-in resident may see is theirs only. The
professionals' gate is ``cases.access``; a resident is no user, so this is the resident's.

- cases: those about the resident (``Case.resident``), never another household member's;
- the plan: the plan of a household of which the resident is a member now and in which they have
  an open case of their own (``Plan.objects.of_resident``, the same rule as the own file's; the plan
  is the household's, agreed at the kitchen table by those it is about);
- appointments: planned visits of the resident's own cases;
- reports: the kitchen-table reports of the resident's own cases (``Conversation.case.resident``);
- decisions: the resident's own applications (``IndicationAdvice.resident``);
- consents: the resident's own consents to share (``Consent.resident``);
- messages: the thread of each of the resident's own cases (``contacts.Message``); a visit to ask
  to move: one of ``planned_visits``;
- representation: a representative registered by the team (``people.Representation``) may act for
  the represented resident: the pages are then that resident's, never more.

An id in a URL that is not the resident's gives 404, as for a professional.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cases.access import int_or_404
from cases.models import Case
from contacts.models import Contact, ContactStatus, Message
from maatwerk.models import IndicationAdvice
from people.models import Representation
from plans.models import Conversation, Plan
from privacy.models import Consent


def own_cases(resident) -> QuerySet:
    return Case.objects.filter(resident=resident)


def own_plans(resident) -> QuerySet:
    return Plan.objects.of_resident(resident)


def get_own_plan(resident, pk) -> Plan:
    plan = own_plans(resident).select_related("regisseur", "household").filter(pk=int_or_404(pk)).first()
    if plan is None:
        raise Http404
    return plan


def planned_visits(resident) -> QuerySet:
    return (
        Contact.objects.filter(case__resident=resident, status=ContactStatus.PLANNED, planned_at__gte=timezone.now())
        .select_related("professional", "case__team")
        .order_by("planned_at")
    )


def own_decisions(resident) -> QuerySet:
    return (
        IndicationAdvice.objects.filter(resident=resident)
        .select_related("provision", "decision__provision", "decision__provider")
        .order_by("-aanvraag_date", "-pk")
    )


def own_consents(resident) -> QuerySet:
    return Consent.objects.filter(resident=resident).select_related("organisation")


def get_own_consent(resident, pk) -> Consent:
    consent = own_consents(resident).filter(pk=int_or_404(pk)).first()
    if consent is None:
        raise Http404
    return consent


def get_own_case(resident, pk) -> Case:
    case = own_cases(resident).select_related("team", "regisseur").filter(pk=int_or_404(pk)).first()
    if case is None:
        raise Http404
    return case


def get_planned_visit(resident, pk) -> Contact:
    visit = planned_visits(resident).filter(pk=int_or_404(pk)).first()
    if visit is None:
        raise Http404
    return visit


def unread_answers(resident) -> tuple[int, list[int]]:
    """The team's messages in the resident's own threads that the resident has not read yet: how
    many, and the cases whose threads hold them (one query)."""
    cases = list(
        Message.objects.filter(case__in=own_cases(resident), from_resident=False, read_at__isnull=True)
        .values_list("case_id", flat=True)
        .order_by("case_id")
    )
    return len(cases), sorted(set(cases))


def own_reports(resident) -> QuerySet:
    """The reports of the kitchen-table conversations of the resident's own cases."""
    return Conversation.objects.filter(case__resident=resident).select_related("case__team", "case__resident", "by")


def get_own_report(resident, pk) -> Conversation:
    conversation = (
        own_reports(resident)
        .prefetch_related("residents", "network_members", "professionals", "provisions", "commitments__network_member")
        .filter(pk=int_or_404(pk))
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def representations_of(representative) -> list[Representation]:
    """Whom the signed-in resident may act for today: their registered representations that have
    not ended, of a living resident; a parent's only while the child is under 16."""
    today = timezone.localdate()
    rows = Representation.objects.filter(
        representative=representative, ended_on__isnull=True, resident__date_of_death__isnull=True
    ).select_related("resident")
    return [r for r in rows if r.valid_on(today)]


def get_representation(representative, pk) -> Representation | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((r for r in representations_of(representative) if r.pk == pk), None)
