"""What the work on a household's plan proves about its case's status (``cases.workflow.WORK``)."""

from dataclasses import dataclass

from django.utils.translation import gettext

from cases.models import Case
from cases.workflow import WORK_LABELS, Status, proposal

from .models import Plan


def work_done(case: Case, *, plan: Plan | None = None, visited: bool = False) -> set[str]:
    """The work recorded for ``case`` (keys of ``cases.workflow.WORK``): a conversation, the
    household's plan started or agreed, and (``visited``, which the caller knows) a visit held."""
    done = {"conversation"} if case.conversations.exists() else set()
    if plan is None:
        plan = Plan.objects.filter(household_id=case.household_id).only("agreed_on").first()
    if plan is not None:
        done.add("plan_started")
        if plan.agreed:
            done.add("plan_agreed")
        if visited:
            done.add("visit")
    return done


@dataclass(frozen=True)
class Step:
    """A status the work proves, offered as one click (``plans/_next_step.html``)."""

    to: Status
    work: str

    @property
    def because(self) -> str:
        return gettext(WORK_LABELS[self.work])


def next_step(case: Case, done: set[str]) -> Step | None:
    """The status the work proves for an open case, with the work (or None)."""
    found = None if case.is_closed else proposal(case.status, done)
    return Step(*found) if found else None
