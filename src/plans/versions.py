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
    Source,
)


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
        # The evaluations so far: what each goal reached and what came next (the resident's file
        # shows them with the plan).
        "evaluations": [
            {
                "id": e.pk,
                "held_on": _iso(e.held_on),
                "next_step": e.next_step,
                "next_step_label": str(e.get_next_step_display()),
                "next_evaluation_on": _iso(e.next_evaluation_on),
                "referred_to": e.referred_to,
                "note": e.note,
                "goals": [
                    {
                        "description": g.description,
                        "result": g.result,
                        "result_label": str(g.get_result_display()),
                        "note": g.note,
                    }
                    for g in e.goals.all()
                ],
            }
            for e in plan.evaluations.prefetch_related("goals").order_by("held_on", "pk")
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
