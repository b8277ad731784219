"""Conversations and plans: every write typed, keyword-only and transactional.

Plan edits use optimistic locking: each form carries the plan version it was opened on, and a
save on an older version is refused with ``PlanConflict``, which lists what the other person
changed. Nothing is silently overwritten, and every accepted save is kept as a ``PlanVersion``.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import Case
from cases.services import case_assign_regisseur, record_changed, record_event
from people.models import Household, NetworkMember, Resident
from privacy.history import tracking
from provisions.models import Provision
from wijkteam.limits import MAX_AMOUNT, MAX_DECISION_COST, euros
from zrm.models import LifeDomain

from .models import (
    Action,
    ActionStatus,
    AgreementKind,
    Arrangement,
    Comment,
    Commitment,
    Conversation,
    Frequency,
    Goal,
    GoalStatus,
    Plan,
    PlanVersion,
    Source,
)

# ---------------------------------------------------------------------------------------------
# Conversations


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
    network member ('what they do'), so the household page shows them."""
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
    return conversation


@transaction.atomic
def comment_add(*, conversation: Conversation, text: str, by: User, received_on: date | None = None) -> Comment:
    """Add the resident's comment on the report; it stays with the report and is printed with it."""
    if not text.strip():
        raise ValidationError({"text": _("A comment cannot be empty.")})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("This date cannot be in the future.")})
    comment = Comment.objects.create(conversation=conversation, text=text.strip(), received_on=received_on, by=by)
    record_event(
        case=conversation.case,
        by=by,
        kind="conversation_comment",
        summary=gettext_noop("The resident commented on the report of %(when)s"),
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


# ---------------------------------------------------------------------------------------------
# Plans: snapshots, differences and optimistic locking


def snapshot(plan: Plan) -> dict:
    """The whole plan as plain data: what a version keeps and what two versions are compared on."""
    goals = plan.goals.select_related("domain").prefetch_related("actions__network_member")
    arrangements = plan.arrangements.all()
    return {
        "regisseur": str(plan.regisseur),
        "summary": plan.summary,
        "agreed_on": _iso(plan.agreed_on),
        "agreement": plan.agreement,
        "evaluate_on": _iso(plan.evaluate_on),
        "goals": [
            {
                "id": goal.pk,
                "domain": goal.domain.name,
                "domain_code": goal.domain.code,
                "description": goal.description,
                "target_score": goal.target_score,
                "due_on": _iso(goal.due_on),
                "status": goal.status,
                "actions": [
                    {
                        "id": action.pk,
                        "description": action.description,
                        "actor": action.actor,
                        "who": action.who,
                        "due_on": _iso(action.due_on),
                        "status": action.status,
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
        "arrangements": [
            {
                "id": a.pk,
                "description": a.description,
                "asked_for": a.asked_for,
                "source": a.source,
                "quantity": str(a.quantity),
                "frequency": a.frequency,
                "unit_price": str(a.unit_price),
                "starts_on": _iso(a.starts_on),
                "ends_on": _iso(a.ends_on),
                "cost": str(a.cost()),
            }
            for a in arrangements
        ],
    }


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


PLAN_FIELDS = {
    "summary": _("What we work towards"),
    "agreed_on": _("Agreed on"),
    "agreement": _("How agreed"),
    "evaluate_on": _("Evaluation date"),
    "regisseur": _("Regisseur"),
}
ITEM_FIELDS = {
    "description": _("description"),
    "status": _("status"),
    "target_score": _("target score"),
    "due_on": _("due date"),
    "who": _("who"),
    "quantity": _("quantity"),
    "unit_price": _("unit price"),
    "starts_on": _("start"),
    "ends_on": _("end"),
}
EMPTY = "\u2013"  # an en dash for an empty value
DATE_KEYS = {"agreed_on", "evaluate_on", "due_on", "starts_on", "ends_on"}
CHOICE_KEYS = {
    "status": {**dict(GoalStatus.choices), **dict(ActionStatus.choices)},
    "agreement": dict(AgreementKind.choices),
    "source": dict(Source.choices),
    "frequency": dict(Frequency.choices),
}


def shown(key: str, value) -> str:
    """A snapshot value as a person reads it: labels for codes, Dutch dates, a dash for nothing."""
    if value in (None, ""):
        return EMPTY
    if key in DATE_KEYS:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if key in CHOICE_KEYS:
        return str(CHOICE_KEYS[key].get(value, value))
    return str(value)


@dataclass(frozen=True)
class PlanChange:
    """One difference between two plan snapshots. ``noun`` and ``what`` name the goal, action or
    arrangement ('' for the plan's own fields); ``field`` is '' when the item was added or removed."""

    noun: str
    what: str
    field: str
    old: str = ""
    new: str = ""
    kind: str = "changed"  # "changed", "added" or "removed"

    def __str__(self) -> str:
        if self.kind == "added":
            return gettext("%(noun)s added: “%(what)s”") % {"noun": self.noun, "what": self.what}
        if self.kind == "removed":
            return gettext("%(noun)s removed: “%(what)s”") % {"noun": self.noun, "what": self.what}
        if not self.noun:
            return gettext("%(field)s: “%(old)s” → “%(new)s”") % {
                "field": self.field,
                "old": self.old,
                "new": self.new,
            }
        return gettext("%(noun)s “%(what)s”: %(field)s “%(old)s” → “%(new)s”") % {
            "noun": self.noun,
            "what": self.what,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }


def plan_changes(old: dict, new: dict) -> list[PlanChange]:
    """What changed between two snapshots, field by field (the plan history reads these)."""
    changes = [
        PlanChange(noun="", what="", field=str(label), old=shown(key, old.get(key)), new=shown(key, new.get(key)))
        for key, label in PLAN_FIELDS.items()
        if old.get(key) != new.get(key)
    ]
    old_goals = {g["id"]: g for g in old.get("goals", [])}
    new_goals = {g["id"]: g for g in new.get("goals", [])}
    changes += _item_changes(old_goals, new_goals, gettext("Goal"))
    old_actions = {a["id"]: a for g in old_goals.values() for a in g["actions"]}
    new_actions = {a["id"]: a for g in new_goals.values() for a in g["actions"]}
    changes += _item_changes(old_actions, new_actions, gettext("Action"))
    old_arr = {a["id"]: a for a in old.get("arrangements", [])}
    new_arr = {a["id"]: a for a in new.get("arrangements", [])}
    changes += _item_changes(old_arr, new_arr, gettext("Arrangement"))
    return changes


def differences(old: dict, new: dict) -> list[str]:
    """What changed between two snapshots, in words a professional reads at a glance."""
    return [str(change) for change in plan_changes(old, new)]


def _item_changes(old: dict[int, dict], new: dict[int, dict], noun: str) -> list[PlanChange]:
    changes = []
    for pk, item in new.items():
        if pk not in old:
            changes.append(PlanChange(noun=noun, what=item["description"], field="", kind="added"))
            continue
        for key, label in ITEM_FIELDS.items():
            if key in item and item[key] != old[pk].get(key):
                changes.append(
                    PlanChange(
                        noun=noun,
                        what=old[pk]["description"],
                        field=str(label),
                        old=shown(key, old[pk].get(key)),
                        new=shown(key, item[key]),
                    )
                )
    for pk, item in old.items():
        if pk not in new:
            changes.append(PlanChange(noun=noun, what=item["description"], field="", kind="removed"))
    return changes


def changed_items(old: dict, new: dict) -> set[str]:
    """Keys ('goal-3', 'action-7', 'arrangement-2', 'field-summary') that differ: for marking a
    side-by-side comparison."""
    marks = {f"field-{key}" for key in PLAN_FIELDS if old.get(key) != new.get(key)}
    for kind, getter in (
        ("goal", lambda s: {g["id"]: {k: v for k, v in g.items() if k != "actions"} for g in s.get("goals", [])}),
        ("action", lambda s: {a["id"]: a for g in s.get("goals", []) for a in g["actions"]}),
        ("arrangement", lambda s: {a["id"]: a for a in s.get("arrangements", [])}),
    ):
        before, after = getter(old), getter(new)
        marks |= {f"{kind}-{pk}" for pk in before.keys() | after.keys() if before.get(pk) != after.get(pk)}
    return marks


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
