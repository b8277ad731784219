"""The history of a case and of a resident: the case's events, the recorded field changes
(``privacy.history``) and the household plan's versions, newest first."""

from collections.abc import Iterable

from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext

from privacy.history import EMPTY, EVENT_FIELDS, Change, changes_from_events, changes_from_fields
from privacy.models import FieldChange

from .models import Plan
from .versions import plan_changes


def plan_history(plan) -> list[Change]:
    """Every saved version of the plan against the one before it, field by field."""
    changes = []
    before: dict = {}
    what = capfirst(gettext("plan"))
    for version in plan.versions.select_related("by").order_by("number"):
        for change in plan_changes(before, version.snapshot):
            if change.kind == "changed":
                item = f"{what} · {change.noun} “{change.what}”" if change.noun else what
                old, new = change.old, change.new
                field = change.field
            else:
                item, field = f"{what} · {change.noun}", ""
                old, new = (change.what, EMPTY) if change.kind == "removed" else (EMPTY, change.what)
            changes.append(
                Change(at=version.at, by=str(version.by), what=item, field=capfirst(field), old=old, new=new)
            )
        before = version.snapshot
    return changes


def _newest_first(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda change: change.at, reverse=True)


def case_history(case) -> list[Change]:
    """Everything changed in a case and its household: the case, its conversations, contacts and
    ZRM scores, the household plan, and the personal data of the household's members."""
    member_ids = list(case.household.members.values_list("resident_id", flat=True))
    rows = FieldChange.objects.filter(
        Q(case=case)
        | Q(case__isnull=True, household_id=case.household_id)
        | Q(case__isnull=True, resident_id__in=member_ids)
    ).select_related("by")
    changes = changes_from_fields(rows)
    changes += changes_from_events(case, case.events.filter(kind__in=EVENT_FIELDS).select_related("by"))
    plan = Plan.objects.filter(household_id=case.household_id).first()
    if plan is not None:
        changes += plan_history(plan)
    return _newest_first(changes)


def resident_history(resident, *, case_ids: Iterable[int], household_ids: Iterable[int], plans=()) -> list[Change]:
    """For the resident's file: changes to their own personal data, to their own cases (not those
    of other members, AVG art. 15(4)), to their households and to the households' plans. The
    case's status, regisseur and triage are in each case's history already."""
    rows = FieldChange.objects.filter(
        Q(resident=resident)
        | Q(case_id__in=list(case_ids))
        | Q(case__isnull=True, resident__isnull=True, household_id__in=list(household_ids))
    ).select_related("by")
    changes = changes_from_fields(rows)
    for plan in plans:
        changes += plan_history(plan)
    return _newest_first(changes)
