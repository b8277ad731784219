"""The life of a case, as a readable table of allowed transitions.

aangemeld -> intake -> onderzoek -> plan -> uitvoering -> evaluatie -> afgesloten, with
closing possible from every open status (a question can turn out to need no case) and
reopening from afgesloten back to onderzoek.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

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


def end_reason_choices() -> list[tuple[str, str]]:
    """End reasons of the iWmo code list WMO588 (data/istandaarden/codelijsten/wmo)."""
    return list(codelist("wmo", "WMO588_Reden_beeindiging.md"))
