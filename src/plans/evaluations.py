"""The evaluation of a plan: per goal what was reached, the ZRM at evaluation, and what comes next.

``evaluation_record`` saves it all or nothing, as a new plan version, and moves the case to the
evaluation in one step whatever open status it was in (``cases.workflow.WORK``, "evaluation"); to
continue, the case goes back to "uitvoering" with the next evaluation date on the plan. Closing the
case or referring on also ends its visits: ``casework.services.evaluation_record`` does that part.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case
from cases.services import case_advance, case_change_status, record_event
from cases.workflow import Status
from wijkteam.i18n import msgid
from zrm.models import Moment
from zrm.services import Rating, assessment_record

from .models import EvaluatedGoal, Evaluation, Goal, GoalResult, GoalStatus, NextStep, Plan
from .services import _editing


@dataclass(frozen=True)
class GoalOutcome:
    result: str
    note: str = ""


def evaluation_data(evaluation: Evaluation) -> dict:
    """An evaluation as plain data (the resident's own file): what each goal reached and what came
    next. Prefetch ``goals``."""
    return {
        "id": evaluation.pk,
        "held_on": evaluation.held_on.isoformat(),
        "next_step": evaluation.next_step,
        "next_step_label": str(evaluation.get_next_step_display()),
        "next_evaluation_on": evaluation.next_evaluation_on.isoformat() if evaluation.next_evaluation_on else "",
        "referred_to": evaluation.referred_to,
        "note": evaluation.note,
        "goals": [
            {
                "description": g.description,
                "result": g.result,
                "result_label": str(g.get_result_display()),
                "note": g.note,
            }
            for g in evaluation.goals.all()
        ],
    }


def goals_to_evaluate(plan: Plan) -> list[Goal]:
    """The goals still being worked on: what an evaluation looks at."""
    return list(plan.goals.filter(status=GoalStatus.OPEN).select_related("domain"))


@transaction.atomic
def evaluation_record(
    *,
    case: Case,
    by: User,
    held_on: date,
    outcomes: dict[Goal, GoalOutcome],
    next_step: str,
    expected_version: int,
    ratings: list[Rating] | None = None,
    next_evaluation_on: date | None = None,
    referred_to: str = "",
    note: str = "",
) -> Evaluation:
    """Record the evaluation of the household's plan for ``case``."""
    plan = Plan.objects.filter(household_id=case.household_id).first()
    errors: dict[str, list] = {}
    if plan is None:
        raise ValidationError(_("This household has no plan to evaluate."))
    if not plan.agreed:
        # The agreement is the decision that ends the Wmo investigation: no evaluation before it.
        raise ValidationError(_("Start and agree the plan before evaluating it."))
    if case.is_closed:
        raise ValidationError(_("The case is closed: reopen it first."))
    if held_on > timezone.localdate():
        errors["held_on"] = [_("An evaluation cannot be in the future.")]
    if next_step not in NextStep.values:
        errors["next_step"] = [_("Choose what comes next.")]
    for goal, outcome in outcomes.items():
        if goal.plan_id != plan.pk:
            raise ValidationError(_("Choose goals of this plan."))
        if outcome.result not in GoalResult.values:
            errors[f"goal_{goal.pk}"] = [_("Say whether the goal was reached.")]
    if next_step == NextStep.CONTINUE:
        if next_evaluation_on is None:
            errors["next_evaluation_on"] = [_("Give the date of the next evaluation.")]
        elif next_evaluation_on <= held_on:
            errors["next_evaluation_on"] = [_("The next evaluation comes after this one.")]
    if next_step == NextStep.REFER and not referred_to.strip():
        errors["referred_to"] = [_("Say to whom the resident is referred.")]
    if errors:
        raise ValidationError(errors)
    ending = next_step != NextStep.CONTINUE
    with _editing(plan, expected_version=expected_version, by=by) as edit:
        evaluation = Evaluation.objects.create(
            plan=edit.plan,
            case=case,
            held_on=held_on,
            plan_version=expected_version,
            next_step=next_step,
            next_evaluation_on=None if ending else next_evaluation_on,
            referred_to=referred_to.strip() if next_step == NextStep.REFER else "",
            note=note.strip(),
            by=by,
        )
        EvaluatedGoal.objects.bulk_create(
            EvaluatedGoal(
                evaluation=evaluation,
                goal=goal,
                description=goal.description,
                result=outcome.result,
                note=outcome.note.strip(),
            )
            for goal, outcome in outcomes.items()
        )
        for goal, outcome in outcomes.items():
            # A goal not (fully) reached stays open when the plan continues: the new period works on it.
            status = outcome.result if outcome.result == GoalResult.REACHED or ending else GoalStatus.OPEN
            Goal.objects.filter(pk=goal.pk, plan=edit.plan).update(status=status)
        if not ending:
            edit.plan.evaluate_on = next_evaluation_on
            edit.plan.save(update_fields=["evaluate_on"])
        edit.change = gettext_noop("plan evaluated")
        edit.data = {"evaluation_id": evaluation.pk}
    if ratings:
        evaluation.assessment = assessment_record(
            case=case,
            by=by,
            ratings=ratings,
            assessed_on=held_on,
            moment=Moment.FINAL if ending else Moment.INTERIM,
            note=str(_("At the evaluation of the plan")),
        )
        evaluation.save(update_fields=["assessment"])
    case_advance(case=case, work="evaluation", by=by)
    reached = sum(1 for outcome in outcomes.values() if outcome.result == GoalResult.REACHED)
    record_event(
        case=case,
        by=by,
        kind="evaluation",
        summary=gettext_noop("Plan evaluated: %(reached)s of %(total)s goals reached; next: %(next)s"),
        data={
            "reached": reached,
            "total": len(outcomes),
            "next": msgid(NextStep(next_step).label),
            "evaluation_id": evaluation.pk,
        },
        note=evaluation.note,
    )
    if not ending:
        case_change_status(case=case, to=Status.UITVOERING, by=by)
    return evaluation


@dataclass(frozen=True)
class ZrmChange:
    domain: object
    start: int | None
    now: int

    @property
    def change(self) -> int | None:
        return None if self.start is None else self.now - self.start


def with_details(evaluations) -> list[Evaluation]:
    """Evaluations with their goals and, as ``zrm_changes``, each domain's score at the evaluation
    beside its score at the case's start (the intake ZRM)."""
    from zrm.models import Assessment

    evaluations = list(
        evaluations.select_related("by", "case").prefetch_related("goals", "assessment__scores__domain")
    )
    case_ids = {e.case_id for e in evaluations if e.assessment_id}
    starts: dict[int, dict[int, int]] = {}
    for start in (
        Assessment.objects.filter(case_id__in=case_ids, evaluation__isnull=True)
        .order_by("case_id", "assessed_on", "pk")
        .prefetch_related("scores")
    ):
        if start.case_id not in starts:
            starts[start.case_id] = {s.domain_id: s.score for s in start.scores.all()}
    for evaluation in evaluations:
        first = starts.get(evaluation.case_id, {})
        scores = evaluation.assessment.scores.all() if evaluation.assessment_id else []
        evaluation.zrm_changes = [ZrmChange(s.domain, first.get(s.domain_id), s.score) for s in scores]
    return evaluations
