"""Plan writes: every write typed, keyword-only and transactional (the conversation's writes are in
``conversations.py``, snapshots and differences in ``versions.py``).

Plan edits use optimistic locking: each form carries the plan version it was opened on, and a
save on an older version is refused with ``PlanConflict``, which lists what the other person
changed. Nothing is silently overwritten, and every accepted save is kept as a ``PlanVersion``.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case
from cases.services import case_assign_regisseur, record_event
from people.models import Household, NetworkMember
from provisions.models import Provision
from wijkteam.limits import MAX_AMOUNT, MAX_DECISION_COST, euros
from zrm.models import LifeDomain

from .models import (
    Action,
    Arrangement,
    Goal,
    GoalStatus,
    Plan,
    PlanVersion,
)
from .versions import differences, snapshot


@dataclass
class ConflictInfo:
    by: str
    at: str
    changes: list[str]
    current_version: int


class PlanConflict(ValidationError):
    """The plan was saved by someone else after this form was opened."""

    def __init__(self, info: ConflictInfo):
        self.info = info
        super().__init__(
            _(
                "%(by)s changed this plan at %(at)s, after you opened it. Your change has not been saved. "
                "Check what changed and save again if it still applies."
            )
            % {"by": info.by, "at": info.at},
            code="conflict",
        )


@contextmanager
def _editing(plan: Plan, *, expected_version: int, by: User):
    """Lock the plan row, refuse a stale version, and after the edit bump the version and keep
    the new state as a ``PlanVersion``. The caller sets ``change`` on the yielded holder."""
    with transaction.atomic():
        current = Plan.objects.select_for_update().select_related("regisseur").get(pk=plan.pk)
        if current.version != expected_version:
            raise PlanConflict(_conflict(current, expected_version))
        holder = _Edit(plan=current)
        yield holder
        Plan.objects.filter(pk=current.pk).update(version=F("version") + 1, updated_by=by, updated_at=timezone.now())
        current.refresh_from_db()
        PlanVersion.objects.create(
            plan=current,
            number=current.version,
            snapshot=snapshot(current),
            change=holder.change,
            data=holder.data,
            by=by,
        )
        for case in current.household.cases.open():
            record_event(
                case=case,
                by=by,
                kind="plan",
                summary=gettext_noop("Plan version %(version)s: %(change)s"),
                data={"version": current.version, "change": holder.change, **holder.data},
            )
        plan.version = current.version


@dataclass
class _Edit:
    plan: Plan
    change: str = ""
    data: dict | None = None

    def __post_init__(self):
        self.data = {}


def _conflict(current: Plan, expected_version: int) -> ConflictInfo:
    seen = PlanVersion.objects.filter(plan=current, number=expected_version).first()
    latest = PlanVersion.objects.filter(plan=current).select_related("by").order_by("-number").first()
    changes = differences(seen.snapshot if seen else {}, snapshot(current))
    return ConflictInfo(
        by=str(latest.by) if latest else "",
        at=timezone.localtime(latest.at).strftime("%d-%m-%Y %H:%M") if latest else "",
        changes=changes,
        current_version=current.version,
    )


@transaction.atomic
def plan_start(*, household: Household, by: User, regisseur: User | None = None, summary: str = "") -> Plan:
    """Start the household's one plan. The regisseur is the regisseur of its open case."""
    if Plan.objects.filter(household=household).exists():
        raise ValidationError(_("This household already has a plan."))
    if regisseur is None:
        case = household.cases.open().filter(regisseur__isnull=False).order_by("opened_at").first()
        regisseur = case.regisseur if case else by
    plan = Plan.objects.create(household=household, regisseur=regisseur, summary=summary, updated_by=by)
    PlanVersion.objects.create(
        plan=plan, number=1, snapshot=snapshot(plan), change=gettext_noop("Plan started"), by=by
    )
    for case in household.cases.open():
        record_event(case=case, by=by, kind="plan", summary=gettext_noop("Plan started"), data={"version": 1})
    return plan


def plan_update(
    *,
    plan: Plan,
    expected_version: int,
    by: User,
    summary: str,
    agreed_on: date | None,
    agreement: str,
    evaluate_on: date | None,
) -> Plan:
    """Change the plan's aim, the agreement with the resident and the evaluation date."""
    errors = {}
    if agreed_on and not agreement:
        errors["agreement"] = [_("Say how the resident agreed: signed or verbally.")]
    if agreement and not agreed_on:
        errors["agreed_on"] = [_("Give the date the resident agreed.")]
    if agreed_on and agreed_on > timezone.localdate():
        errors["agreed_on"] = [_("This date cannot be in the future.")]
    if evaluate_on and agreed_on and evaluate_on <= agreed_on:
        errors["evaluate_on"] = [_("The evaluation comes after the agreement.")]
    if errors:
        raise ValidationError(errors)
    with _editing(plan, expected_version=expected_version, by=by) as edit:
        current = edit.plan
        agreed_now = agreed_on and agreed_on != current.agreed_on
        current.summary, current.agreed_on, current.agreement, current.evaluate_on = (
            summary,
            agreed_on,
            agreement,
            evaluate_on,
        )
        current.save(update_fields=["summary", "agreed_on", "agreement", "evaluate_on"])
        edit.change = gettext_noop("agreement with the resident") if agreed_now else gettext_noop("plan details")
    return plan


def goal_save(
    *,
    plan: Plan,
    expected_version: int,
    by: User,
    domain: LifeDomain,
    description: str,
    target_score: int | None = None,
    due_on: date | None = None,
    status: str = GoalStatus.OPEN,
    goal: Goal | None = None,
) -> Goal:
    """Add a goal on a life domain, or change one."""
    if not description.strip():
        raise ValidationError({"description": _("Describe the goal.")})
    with _editing(plan, expected_version=expected_version, by=by) as edit:
        if goal is None:
            goal = Goal(plan=edit.plan)
            edit.change = gettext_noop("goal added")
        else:
            goal = Goal.objects.get(pk=goal.pk, plan=edit.plan)
            edit.change = gettext_noop("goal changed")
        goal.domain, goal.description, goal.target_score, goal.due_on, goal.status = (
            domain,
            description.strip(),
            target_score,
            due_on,
            status,
        )
        goal.save()
        edit.data = {"goal_id": goal.pk}
    return goal


def action_save(
    *,
    plan: Plan,
    expected_version: int,
    by: User,
    goal: Goal,
    description: str,
    actor: str,
    actor_name: str = "",
    network_member: NetworkMember | None = None,
    due_on: date | None = None,
    status: str = "te_doen",
    action: Action | None = None,
) -> Action:
    """Add an action to a goal, or change one: what, who does it, by when."""
    if goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("Choose a goal of this plan.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the action.")})
    if network_member is not None and not plan.household.members.filter(resident=network_member.resident_id).exists():
        raise ValidationError({"network_member": _("Only the household's network can be chosen.")})
    with _editing(plan, expected_version=expected_version, by=by) as edit:
        if action is None:
            action = Action()
            edit.change = gettext_noop("action added")
        else:
            action = Action.objects.get(pk=action.pk, goal__plan=edit.plan)
            edit.change = gettext_noop("action changed")
        action.goal = goal
        action.description = description.strip()
        action.actor, action.actor_name, action.network_member = actor, actor_name.strip(), network_member
        action.due_on, action.status = due_on, status
        action.save()
        edit.data = {"action_id": action.pk}
    return action


def arrangement_save(
    *,
    plan: Plan,
    expected_version: int,
    by: User,
    source: str,
    description: str,
    asked_for: bool = False,
    quantity: Decimal = Decimal(1),
    frequency: str = "eenmalig",
    unit_price: Decimal = Decimal(0),
    starts_on: date | None = None,
    ends_on: date | None = None,
    goal: Goal | None = None,
    provision: Provision | None = None,
    arrangement: Arrangement | None = None,
) -> Arrangement:
    """Record what is arranged (or what was asked for) with its cost."""
    errors = {}
    if not description.strip():
        errors["description"] = [_("Describe what is arranged.")]
    if quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    if unit_price < 0:
        errors["unit_price"] = [_("A price cannot be negative.")]
    elif unit_price > MAX_AMOUNT:
        errors["unit_price"] = [_("The amount can be at most %(limit)s.") % {"limit": euros(MAX_AMOUNT)}]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes after the start date.")]
    if not errors:  # a cost no arrangement can have (a typo): refused before the plan's costs add it up
        cost = Arrangement(
            quantity=quantity, frequency=frequency, unit_price=unit_price, starts_on=starts_on, ends_on=ends_on
        ).cost()
        if cost > MAX_DECISION_COST:
            errors["quantity"] = [
                _("This would cost %(cost)s, more than %(limit)s: check the quantity and the price.")
                % {"cost": euros(cost), "limit": euros(MAX_DECISION_COST)}
            ]
    if goal is not None and goal.plan_id != plan.pk:
        errors["goal"] = [_("Choose a goal of this plan.")]
    if errors:
        raise ValidationError(errors)
    with _editing(plan, expected_version=expected_version, by=by) as edit:
        if arrangement is None:
            arrangement = Arrangement(plan=edit.plan)
            edit.change = gettext_noop("asked-for solution added") if asked_for else gettext_noop("arrangement added")
        else:
            arrangement = Arrangement.objects.get(pk=arrangement.pk, plan=edit.plan)
            edit.change = gettext_noop("arrangement changed")
        for name, value in {
            "source": source,
            "description": description.strip(),
            "asked_for": asked_for,
            "quantity": quantity,
            "frequency": frequency,
            "unit_price": unit_price,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "goal": goal,
            "provision": provision,
        }.items():
            setattr(arrangement, name, value)
        arrangement.save()
        edit.data = {"arrangement_id": arrangement.pk}
    return arrangement


@transaction.atomic
def regisseur_assign(*, case: Case, regisseur: User, by: User, note: str = "") -> Case:
    """Make ``regisseur`` the one professional who holds the case and the household's plan."""
    before = Case.objects.filter(pk=case.pk).values_list("regisseur_id", flat=True).first()
    current = case_assign_regisseur(case=case, regisseur=regisseur, by=by, note=note)
    if before != regisseur.pk:
        plan_set_regisseur(household=current.household, regisseur=regisseur, by=by)
    return current


def goals_evaluate(*, plan: Plan, statuses: dict[Goal, str], by: User, expected_version: int | None = None) -> None:
    """Record which goals were reached (when the case closes). ``expected_version``: the version the
    closing form was opened on, so a goal changed since then is not overwritten."""
    changed = {goal: status for goal, status in statuses.items() if goal.status != status}
    if not changed:
        return
    version = plan.version if expected_version is None else expected_version
    with _editing(plan, expected_version=version, by=by) as edit:
        for goal, status in changed.items():
            Goal.objects.filter(pk=goal.pk, plan=edit.plan).update(status=status)
        edit.change = gettext_noop("goals evaluated at closing")


def plan_set_regisseur(*, household: Household, regisseur: User, by: User) -> None:
    """Keep the plan's regisseur the same as the case's (called when the regisseur changes)."""
    plan = Plan.objects.filter(household=household).first()
    if plan is None or plan.regisseur_id == regisseur.pk:
        return
    with _editing(plan, expected_version=plan.version, by=by) as edit:
        edit.plan.regisseur = regisseur
        edit.plan.save(update_fields=["regisseur"])
        edit.change = gettext_noop("regisseur changed")


def plan_follow_cases(*, household: Household, by: User) -> None:
    """After the household's open cases moved to another team (``cases.services.household_cases_follow``):
    the plan's regisseur is the case's again. The regisseur a moved case kept; where none was kept
    (the case waits in the new team's work queue), the new team's leader holds the plan until they
    assign a regisseur (``regisseur_assign``), so the old regisseur, who no longer opens the
    household, is not its contact person. A plan version says so."""
    plan = Plan.objects.filter(household=household).only("regisseur_id").first()
    team_id = Case.objects.filter(household=household).open().values_list("team_id", flat=True).first()
    if plan is None or team_id is None:
        return
    cases = Case.objects.filter(household=household, team_id=team_id).open()
    kept = cases.exclude(regisseur=None).order_by("opened_at", "pk").values_list("regisseur_id", flat=True).first()
    members = User.objects.filter(memberships__team_id=team_id, is_active=True)
    if kept is None and members.filter(pk=plan.regisseur_id).exists():
        return
    holder = (
        User.objects.filter(pk=kept).first()
        if kept is not None
        else members.filter(memberships__is_leader=True).order_by("pk").first()
    )
    if holder is not None:
        plan_set_regisseur(household=household, regisseur=holder, by=by)


# ---------------------------------------------------------------------------------------------
# Outcomes and closing


@dataclass
class Costs:
    asked: Decimal
    arranged: Decimal

    @property
    def difference(self) -> Decimal:
        return self.asked - self.arranged


def plan_costs(plan: Plan | None, arrangements: Iterable[Arrangement] | None = None) -> Costs:
    """Yearly costs of what was asked for and of what is arranged (open-ended: one year). Pass the
    ``arrangements`` already read to save the query."""
    if plan is None:
        return Costs(Decimal(0), Decimal(0))
    asked = arranged = Decimal(0)
    for arrangement in plan.arrangements.all() if arrangements is None else arrangements:
        if arrangement.asked_for:
            asked += arrangement.cost()
        else:
            arranged += arrangement.cost()
    return Costs(asked, arranged)
