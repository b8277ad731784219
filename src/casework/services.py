"""The writes that span a case and its parts: closing a case ends its planned visits and may
record the final ZRM and the goals reached, all or nothing; an evaluation that closes the case or
refers the resident on does the same; a resident whose change moves their household to another
district takes the household's open cases to the new district's team."""

from django.db import transaction

from accounts.models import User
from cases import services as cases
from cases.models import Case
from contacts.services import follow_up_end
from people.models import Household, HouseholdMember, Relation, Resident
from people.services import resident_update
from plans import evaluations
from plans.models import Evaluation, Goal, NextStep, Plan
from plans.services import goals_evaluate, plan_follow_cases
from zrm.models import Moment
from zrm.services import Rating, assessment_record


@transaction.atomic
def case_close(*, case: Case, by: User, end_reason: str, note: str = "") -> Case:
    """Close the case with an iWmo end reason (WMO588); its recurring contacts stop and its
    planned visits are cancelled."""
    closed = cases.case_close(case=case, by=by, end_reason=end_reason, note=note)
    follow_up_end(closed)
    return closed


@transaction.atomic
def case_close_with_outcome(
    *,
    case: Case,
    by: User,
    end_reason: str,
    note: str = "",
    final_ratings: list[Rating] | None = None,
    goal_statuses: dict[Goal, str] | None = None,
    expected_plan_version: int | None = None,
) -> Case:
    """Close a case with its end reason, the final ZRM and the goals reached, all or nothing."""
    if final_ratings:
        assessment_record(case=case, by=by, ratings=final_ratings, moment=Moment.FINAL)
    plan = Plan.objects.filter(household_id=case.household_id).first()
    if plan is not None and goal_statuses:
        goals_evaluate(plan=plan, statuses=goal_statuses, by=by, expected_version=expected_plan_version)
    return case_close(case=case, by=by, end_reason=end_reason, note=note)


@transaction.atomic
def resident_change(*, resident: Resident, by: User, **changes) -> Resident:
    """Change a resident's data (``people.services.resident_update``, same keywords). When the change
    moves their household to another district, its open cases follow to the team that serves it
    now (``cases.services.household_cases_follow``), and the plan's regisseur with them
    (``plans.services.plan_follow_cases``), all or nothing."""
    main_of = HouseholdMember.objects.filter(resident=resident, relation=Relation.MAIN)
    before = dict(main_of.values_list("household_id", "household__area_id"))
    changed = resident_update(resident=resident, by=by, **changes)
    for household_id, area_id in main_of.values_list("household_id", "household__area_id"):
        if before.get(household_id) != area_id:
            household = Household.objects.get(pk=household_id)
            if cases.household_cases_follow(household=household, by=by, reason=changes.get("reason", "")):
                plan_follow_cases(household=household, by=by)
    return changed


# The end reason (WMO588) of a case an evaluation ends: the plan was carried out, or the resident
# goes on elsewhere.
EVALUATION_END_REASONS = {NextStep.CLOSE: "19", NextStep.REFER: "39"}


@transaction.atomic
def evaluation_record(*, case: Case, by: User, **evaluation) -> Evaluation:
    """Record the plan's evaluation (``plans.evaluations.evaluation_record``, same arguments); when
    it closes the case or refers the resident on, the case closes with its end reason and its
    visits end, all or nothing."""
    recorded = evaluations.evaluation_record(case=case, by=by, **evaluation)
    end_reason = EVALUATION_END_REASONS.get(recorded.next_step)
    if end_reason:
        note = recorded.note
        if recorded.referred_to:
            note = f"{recorded.referred_to}. {note}".strip() if note else recorded.referred_to
        case_close(case=case, by=by, end_reason=end_reason, note=note)
    return recorded
