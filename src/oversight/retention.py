"""Retention: closed cases are deleted once the longest retention term of their legal frameworks
has passed since closure (``cases.LegalFramework.retention_years``, with its source). With them go
their contacts, messages with the resident (Mijn Wijkteam), conversations, assessments, advices and
decisions; a household whose cases are all gone loses its plan and its members' records when they
belong nowhere else.

The access log stays (it holds ids, no personal data); each run leaves ``DeletionRecord`` rows that
say what kind of record, how many and under which rule, and nothing about whom.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case
from contacts.models import Message as ResidentMessage
from contacts.models import MessageNotice
from insights.models import InitiativeParticipant
from intake.models import Question, Referral
from maatwerk.models import Allocation, AllocationRequest, Decision, IndicationAdvice, Message
from people.models import Household, HouseholdMember, Resident
from plans.models import Plan
from privacy.models import DeletionRecord
from wijkteam.dates import add_months


@dataclass
class PurgeReport:
    today: date
    dry_run: bool
    counts: Counter = field(default_factory=Counter)
    rules: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        if not self.counts:
            return [f"Nothing has expired on {self.today:%d-%m-%Y}."]
        return [f"{verb} {count} {kind} record(s) ({self.rules[kind]})" for kind, count in sorted(self.counts.items())]


def expired_cases(today: date):
    """Closed cases whose longest retention term has passed since their closure."""

    closed = (
        Case.objects.filter(closed_at__isnull=False)
        .annotate(keep_years=Max("frameworks__retention_years"))
        .values_list("pk", "closed_at", "keep_years")
    )
    return [
        pk
        for pk, closed_at, years in closed.iterator(chunk_size=2000)
        # A case without a legal framework has no known term: keep it (and fix its framework).
        if years is not None and add_months(timezone.localtime(closed_at).date(), 12 * years) < today
    ]


def purge(*, today: date | None = None, dry_run: bool = True) -> PurgeReport:

    today = today or timezone.localdate()
    report = PurgeReport(today=today, dry_run=dry_run)
    case_ids = expired_cases(today)
    if not case_ids:
        return report
    rule = "closed + retention term of the legal framework (cases.LegalFramework)"
    with transaction.atomic():
        households = set(Case.objects.filter(pk__in=case_ids).values_list("household_id", flat=True))
        advices = IndicationAdvice.objects.filter(case_id__in=case_ids)
        decisions = Decision.objects.filter(advice__in=advices)
        allocations = Allocation.objects.filter(decision__in=decisions)
        questions = Question.objects.filter(case_id__in=case_ids)
        referrals = Referral.objects.filter(case_id__in=case_ids)
        report.counts.update(
            {
                "case": len(case_ids),
                "indication advice": advices.count(),
                "decision": decisions.count(),
                "allocation": allocations.count(),
                "desk question": questions.count(),
                "referral": referrals.count(),
                # These two go with the case and the resident (cascade); counted here.
                "message with the resident": ResidentMessage.objects.filter(case_id__in=case_ids).count(),
            }
        )
        if not dry_run:
            allocations.delete()
            decisions.delete()
            advices.delete()
            questions.delete()
            referrals.delete()
            Case.objects.filter(pk__in=case_ids).delete()  # contacts, messages, events, conversations, ZRM cascade
        # Households with no case left (counting the ones about to go in a dry run).
        remaining = set(
            Case.objects.filter(household_id__in=households)
            .exclude(pk__in=case_ids)
            .values_list("household_id", flat=True)
        )
        empty = households - remaining
        plans = Plan.objects.filter(household_id__in=empty)
        members = set(HouseholdMember.objects.filter(household_id__in=empty).values_list("resident_id", flat=True))
        elsewhere = set(
            HouseholdMember.objects.filter(resident_id__in=members)
            .exclude(household_id__in=empty)
            .values_list("resident_id", flat=True)
        )
        with_cases = set(
            Case.objects.filter(resident_id__in=members).exclude(pk__in=case_ids).values_list("resident_id", flat=True)
        )
        residents = members - elsewhere - with_cases
        participants = InitiativeParticipant.objects.filter(household_id__in=empty)
        resident_questions = Question.objects.filter(resident_id__in=residents)
        # Messages with providers about these residents that hang off no allocation (a refused
        # request, its answer): they hold the BSN. Those of an allocation went with it.
        messages = Message.objects.filter(resident_id__in=residents)
        report.counts.update(
            {
                "plan": plans.count(),
                "household": len(empty),
                "resident": len(residents),
                "initiative participation": participants.count(),
                "desk question": resident_questions.count(),
                "message with a provider": messages.count(),
                "notice choice of the resident": MessageNotice.objects.filter(resident_id__in=residents).count(),
            }
        )
        if not dry_run:
            plans.delete()
            participants.delete()
            resident_questions.delete()
            messages.delete()
            AllocationRequest.objects.filter(resident_id__in=residents).update(resident=None)
            Household.objects.filter(pk__in=empty).delete()
            Resident.objects.filter(pk__in=residents).delete()
        for kind in report.counts:
            report.rules[kind] = rule if kind == "case" else "belonged to an expired case only"
        report.counts = Counter({kind: n for kind, n in report.counts.items() if n})
        if not dry_run:
            DeletionRecord.objects.bulk_create(
                DeletionRecord(kind=kind, count=n, rule=report.rules[kind]) for kind, n in report.counts.items()
            )
    return report
