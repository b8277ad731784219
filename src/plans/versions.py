"""The plan's versions: a snapshot per save, and the differences between two of them (what
``PlanConflict`` lists, the version comparison page and the history of changes show)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionStatus,
    AgreementKind,
    Frequency,
    GoalStatus,
    Plan,
    ResponseKind,
    Source,
)


def snapshot(plan: Plan) -> dict:
    """The whole plan as plain data: what a version keeps and what two versions are compared on.

    Evaluations are not part of it. Each is a record of one case (``Evaluation.case``, with the plan
    version it looked at), about one member of the household, with its own note and referral:
    frozen into every later version of the household's plan it would be read by all who read the
    plan's versions, and handed to another member with the plan, beyond the reach of a correction
    of the evaluation itself. Where they are shown with the plan (the plan page, the resident's own
    file: ``oversight.rights``, the evaluations of the resident's own cases only) they are read from
    ``Evaluation`` (``plans.evaluations.evaluation_data``); migration 0008 took them out of the
    versions kept before."""
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


def agreement_stands(plan: Plan) -> bool:
    """Whether the plan is agreed to as it is now: it has an agreement and has not changed since the
    version in which that agreement was recorded (the first of the versions since which the date
    and the way of agreeing are the same), or a resident agreed to this very version. Agreeing
    again would replace an agreement made (signed at the kitchen table, say) with nothing new to
    agree to."""
    if plan.agreed_on is None:
        return False
    if plan.resident_responses.filter(kind=ResponseKind.AGREED, plan_version=plan.version).exists():
        return True
    before = (
        plan.versions.exclude(snapshot__agreed_on=plan.agreed_on.isoformat(), snapshot__agreement=plan.agreement)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return min((before or 0) + 1, plan.version) == plan.version


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
        if shown(key, old.get(key)) != shown(key, new.get(key))  # an empty field is no change
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
