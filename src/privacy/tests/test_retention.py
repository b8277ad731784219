"""The retention purge: a dry run changes nothing, a run deletes what expired and leaves only a
record of what kind, how many and which rule; the access log stays."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.factories import CaseFactory
from cases.models import Case
from people.models import Household, Resident
from plans.services import plan_start
from privacy.models import AccessLog, Action, DeletionRecord, Purpose
from privacy.services import log_access


def _closed(world, years_ago: float, frameworks=None):
    case = CaseFactory(team=world.team_a, frameworks=frameworks)
    Case.objects.filter(pk=case.pk).update(
        status="afgesloten", closed_at=timezone.now() - timedelta(days=365.25 * years_ago)
    )
    return case


@pytest.mark.django_db
def test_dry_run_then_purge_of_expired_cases_only(world):
    old = _closed(world, 16)  # Wmo: 15 years after closure
    plan_start(household=old.household, by=world.worker)
    recent = _closed(world, 3)
    still_open = CaseFactory(team=world.team_a)
    log_access(user=world.worker, action=Action.VIEW, purpose=Purpose.CASEWORK, case_id=old.pk)

    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "would delete 1 case record(s)" in out.getvalue() and "Dry run" in out.getvalue()
    assert Case.objects.filter(pk=old.pk).exists() and not DeletionRecord.objects.exists()

    call_command("purge", "--execute", stdout=io.StringIO())
    assert set(Case.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not Household.objects.filter(pk=old.household_id).exists()
    assert not Resident.objects.filter(pk=old.resident_id).exists()
    kinds = dict(DeletionRecord.objects.values_list("kind", "count"))
    assert kinds == {"case": 1, "plan": 1, "household": 1, "resident": 1}
    assert AccessLog.objects.filter(case_id=old.pk).exists()  # who opened it stays known, by id only

    again = io.StringIO()
    call_command("purge", "--execute", stdout=again)
    assert "Nothing has expired" in again.getvalue()


@pytest.mark.django_db
def test_the_longest_term_of_the_case_frameworks_counts(world):
    from cases.models import LegalFramework

    both = LegalFramework.objects.filter(code__in=["wgs", "jeugdwet"])
    case = _closed(world, 6, frameworks=both)  # Wgs would allow deletion after 5 years; Jeugdwet keeps 20
    call_command("purge", "--execute", stdout=io.StringIO())
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_case_that_came_from_a_desk_question_is_purged_too(world):
    from intake.models import Question

    old = _closed(world, 16)
    Question.objects.create(
        municipality=world.municipality,
        registered_by=world.worker,
        resident=old.resident,
        text="Hulp bij de post",
        channel="balie",
        outcome="melding",
        case=old,
    )
    call_command("purge", "--execute", stdout=io.StringIO())
    assert not Case.objects.filter(pk=old.pk).exists()
    assert not Question.objects.exists()
    assert dict(DeletionRecord.objects.values_list("kind", "count"))["desk question"] == 1


@pytest.mark.django_db
def test_a_case_without_a_legal_framework_is_kept(world):
    case = _closed(world, 30)
    case.frameworks.clear()
    call_command("purge", "--execute", stdout=io.StringIO())
    assert Case.objects.filter(pk=case.pk).exists()
