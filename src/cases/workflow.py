"""The life of a case, as a readable table of allowed transitions.

aangemeld -> intake -> onderzoek -> plan -> uitvoering -> evaluatie -> afgesloten, with
closing possible from every open status (a question can turn out to need no case) and
reopening from afgesloten back to onderzoek.

The work itself moves a case on (``WORK``): a kitchen-table conversation is the investigation, an
agreed plan is carried out, an evaluation is the evaluation. Where the work shows that the steps in
between were done, the case may skip them (a case still "aangemeld" when its plan is agreed goes to
"uitvoering" in one step, not four). ``AUTOMATIC`` work moves the case itself; for the rest the
case page offers the step as one click. Every move is one entry in the case's history, naming the
work that proved it. docs/usability.md, "The case's flow".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from wijkteam.reference import codelist


class Status(models.TextChoices):
    AANGEMELD = "aangemeld", _("Reported")
    INTAKE = "intake", _("Intake")
    ONDERZOEK = "onderzoek", _("Investigation")
    PLAN = "plan", _("Plan")
    UITVOERING = "uitvoering", _("In progress")
    EVALUATIE = "evaluatie", _("Evaluation")
    AFGESLOTEN = "afgesloten", _("Closed")


TRANSITIONS: dict[str, set[str]] = {
    Status.AANGEMELD: {Status.INTAKE, Status.ONDERZOEK, Status.AFGESLOTEN},
    Status.INTAKE: {Status.ONDERZOEK, Status.AFGESLOTEN},
    Status.ONDERZOEK: {Status.PLAN, Status.AFGESLOTEN},
    Status.PLAN: {Status.UITVOERING, Status.ONDERZOEK, Status.AFGESLOTEN},
    Status.UITVOERING: {Status.EVALUATIE, Status.AFGESLOTEN},
    Status.EVALUATIE: {Status.UITVOERING, Status.PLAN, Status.AFGESLOTEN},
    Status.AFGESLOTEN: {Status.ONDERZOEK},  # reopening
}

# What the work proves: (the status it shows the case has reached, the statuses it may come from).
# From those statuses the case may go straight to the status, whatever TRANSITIONS says.
WORK: dict[str, tuple[Status, set[Status]]] = {
    # The keukentafelgesprek is the heart of the onderzoek.
    "conversation": (Status.ONDERZOEK, {Status.AANGEMELD, Status.INTAKE}),
    # A plan is being made.
    "plan_started": (Status.PLAN, {Status.AANGEMELD, Status.INTAKE, Status.ONDERZOEK}),
    # The resident agreed to the plan: it is carried out.
    "plan_agreed": (Status.UITVOERING, {Status.AANGEMELD, Status.INTAKE, Status.ONDERZOEK, Status.PLAN}),
    # A visit under a plan: the plan is carried out.
    "visit": (Status.UITVOERING, {Status.PLAN}),
    # The plan has been evaluated: from any open status before evaluation, in one step.
    "evaluation": (
        Status.EVALUATIE,
        {Status.AANGEMELD, Status.INTAKE, Status.ONDERZOEK, Status.PLAN, Status.UITVOERING},
    ),
}
# What the history says moved the case (English msgids, translated when shown).
WORK_LABELS = {
    "conversation": gettext_noop("kitchen-table conversation recorded"),
    "plan_started": gettext_noop("plan started"),
    "plan_agreed": gettext_noop("plan agreed with the resident"),
    "visit": gettext_noop("visit under the plan"),
    "evaluation": gettext_noop("plan evaluated"),
}
# The work that leaves no other reading moves the case itself; the rest is offered as one click
# (starting or agreeing a plan ends the Wmo investigation term: the professional decides when).
AUTOMATIC = {"conversation", "evaluation"}

OPEN_STATUSES = [status for status in Status if status != Status.AFGESLOTEN]
# Until the plan stage, the Wmo investigation term runs.
INVESTIGATING = [Status.AANGEMELD, Status.INTAKE, Status.ONDERZOEK]
# Until the support is under way, an application's decision term runs.
DECIDING = [Status.AANGEMELD, Status.INTAKE, Status.ONDERZOEK, Status.PLAN]


def allowed_next(status: str) -> list[Status]:
    """The statuses a case may move to, in the order of the case's life."""
    order = list(Status)
    return sorted((Status(s) for s in TRANSITIONS[status]), key=order.index)


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def proven_by(work: str, current: str) -> Status | None:
    """The status that ``work`` moves a case in status ``current`` to, or None when it proves
    nothing new (the case is there already, or past it)."""
    target, sources = WORK[work]
    return target if current in sources else None


def proposal(current: str, done: set[str]) -> tuple[Status, str] | None:
    """The furthest status the work ``done`` proves for a case in ``current``, with the work that
    proves it: what the case page offers as one click."""
    order = list(Status)
    proven = [(target, work) for work in sorted(done) if (target := proven_by(work, current)) is not None]
    return max(proven, key=lambda pair: order.index(pair[0]), default=None)


def end_reason_choices() -> list[tuple[str, str]]:
    """End reasons of the iWmo code list WMO588 (data/istandaarden/codelijsten/wmo)."""
    return list(codelist("wmo", "WMO588_Reden_beeindiging.md"))
