"""Recording ZRM assessments, and reading a case's scores over time."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import User
from cases.models import Case
from cases.services import record_event
from wijkteam.i18n import msgid

from .models import Assessment, DomainScore, LifeDomain, Moment

MIN_REASON = 5


@dataclass(frozen=True)
class Rating:
    domain: LifeDomain
    score: int
    reason: str


@transaction.atomic
def assessment_record(
    *, case: Case, by: User, ratings: list[Rating], assessed_on: date | None = None, moment: str = "", note: str = ""
) -> Assessment:
    """Score the domains the question needs, each with its reason.

    The first assessment of a case is its start; later ones are re-assessments unless ``moment``
    says final.
    """
    assessed_on = assessed_on or timezone.localdate()
    errors: dict[str, list] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("An assessment cannot be in the future.")]
    if not ratings:
        errors["domains"] = [_("Choose the life domains the question is about.")]
    if len({r.domain.pk for r in ratings}) != len(ratings):
        errors["domains"] = [_("Score each life domain once.")]
    for rating in ratings:
        if rating.score not in range(1, 6):
            errors[f"score_{rating.domain.code}"] = [_("Choose a score from 1 to 5.")]
        if len(rating.reason.strip()) < MIN_REASON:
            errors[f"reason_{rating.domain.code}"] = [_("Give the reason for this score in a few words.")]
    if case.is_closed and moment != Moment.FINAL:
        errors["__all__"] = [_("The case is closed: reopen it first.")]
    if errors:
        raise ValidationError(errors)
    if not moment:
        moment = Moment.INTERIM if case.assessments.exists() else Moment.START
    assessment = Assessment.objects.create(case=case, by=by, assessed_on=assessed_on, moment=moment, note=note)
    DomainScore.objects.bulk_create(
        DomainScore(assessment=assessment, domain=r.domain, score=r.score, reason=r.reason.strip()) for r in ratings
    )
    record_event(
        case=case,
        by=by,
        kind="zrm",
        summary=gettext_noop("ZRM (%(moment)s): %(scores)s"),
        data={
            "moment": msgid(Moment(moment).label),
            "scores": ", ".join(f"{r.domain.name} {r.score}" for r in ratings),
            "assessment_id": assessment.pk,
        },
    )
    return assessment


@dataclass
class DomainTrend:
    domain: LifeDomain
    scores: list[int | None]  # one per assessment, None where the domain was not scored

    @property
    def first(self) -> int | None:
        return next((s for s in self.scores if s is not None), None)

    @property
    def last(self) -> int | None:
        return next((s for s in reversed(self.scores) if s is not None), None)

    @property
    def change(self) -> int | None:
        return None if self.first is None else self.last - self.first


@dataclass
class Trend:
    assessments: list[Assessment]
    domains: list[DomainTrend]

    @property
    def last_domains(self) -> list[LifeDomain]:
        """The domains of the latest assessment: the default for the next one."""
        if not self.assessments:
            return []
        last = self.assessments[-1]
        return [s.domain for s in last.scores.all()]


def case_trend(case: Case) -> Trend:
    """All assessments of the case with, per scored domain, its score at each moment (two queries)."""
    scores = Prefetch("scores", queryset=DomainScore.objects.select_related("domain"))
    assessments = list(case.assessments.prefetch_related(scores).order_by("assessed_on", "pk"))
    domains: dict[int, DomainTrend] = {}
    for index, assessment in enumerate(assessments):
        for score in assessment.scores.all():
            trend = domains.setdefault(score.domain_id, DomainTrend(score.domain, [None] * len(assessments)))
            trend.scores[index] = score.score
    return Trend(assessments, sorted(domains.values(), key=lambda t: t.domain.order))
