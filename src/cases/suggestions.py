"""Who could be regisseur: colleagues in the case's team, by area, expertise and caseload,
each suggestion with the reasons behind it."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from people.models import HouseholdMember
from teams.services import colleagues

from .models import Case
from .workflow import OPEN_STATUSES

# Life domain (ZRM code) -> expertise group (vakgroep) that knows it best.
DOMAIN_EXPERTISE = {
    "financien": "financien",
    "werk-en-opleiding": "werk",
    "huisvesting": "wonen",
    "huiselijke-relaties": "jeugd",
    "geestelijke-gezondheid": "ggz",
    "middelengebruik": "verslaving",
}
SENIOR_AGE = 65
CHILD_AGE = 18


@dataclass
class Suggestion:
    user: User
    caseload: int
    in_area: int
    expertise: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return 3 * len(self.expertise) + (2 if self.in_area else 0) - self.caseload / 10


def wanted_expertise(case: Case) -> set[str]:
    wanted = {DOMAIN_EXPERTISE[d.code] for d in case.life_domains.all() if d.code in DOMAIN_EXPERTISE}
    ages = [
        m.resident.age
        for m in HouseholdMember.objects.filter(household_id=case.household_id).select_related("resident")
    ]
    if any(age >= SENIOR_AGE for age in ages):
        wanted.add("ouderen")
    if any(age < CHILD_AGE for age in ages):
        wanted.add("jeugd")
    return wanted


def suggest_regisseurs(case: Case, *, limit: int = 5) -> list[Suggestion]:
    """The best candidates first: matching expertise, already working in the area, a light caseload."""
    open_cases = Q(cases_as_regisseur__status__in=OPEN_STATUSES)
    area_id = case.household.area_id
    candidates = (
        colleagues({case.team_id})
        .annotate(
            caseload=Count("cases_as_regisseur", filter=open_cases, distinct=True),
            in_area=Count(
                "cases_as_regisseur",
                filter=open_cases & Q(cases_as_regisseur__household__area_id=area_id),
                distinct=True,
            )
            if area_id
            else Value(0, output_field=IntegerField()),
        )
        .prefetch_related("expertises")
    )
    wanted = wanted_expertise(case)
    area = case.household.area
    suggestions = []
    for user in candidates:
        matching = sorted(e.name for e in user.expertises.all() if e.code in wanted)
        reasons = [_("Expertise: %(names)s") % {"names": ", ".join(matching)}] if matching else []
        if user.in_area:
            reasons.append(
                ngettext(
                    "Already regisseur of %(count)d household in %(area)s",
                    "Already regisseur of %(count)d households in %(area)s",
                    user.in_area,
                )
                % {"count": user.in_area, "area": area}
            )
        reasons.append(
            ngettext("Caseload: %(count)d open case", "Caseload: %(count)d open cases", user.caseload)
            % {"count": user.caseload}
        )
        suggestions.append(Suggestion(user, user.caseload, user.in_area, matching, reasons))
    suggestions.sort(key=lambda s: (-s.score, s.caseload, str(s.user)))
    return suggestions[:limit]
