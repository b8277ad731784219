import factory
from django.utils import timezone

from people.factories import household_in

from . import deadlines
from .models import Case, LegalFramework


class CaseFactory(factory.django.DjangoModelFactory):
    """``CaseFactory(team=team)`` makes a Wmo case for a new household in the team's first area."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    team = None
    household = factory.LazyAttribute(lambda o: household_in(o.team.areas.first()))
    resident = factory.LazyAttribute(lambda o: o.household.members.first().resident)
    question = "Kan de post niet meer overzien."
    melding_date = factory.LazyFunction(timezone.localdate)
    onderzoek_due = factory.LazyAttribute(lambda o: deadlines.onderzoek_due(o.melding_date))
    reference = factory.Sequence(lambda n: f"2026-{n + 1:06d}")

    @factory.post_generation
    def frameworks(self, create, extracted, **kwargs):
        self.frameworks.set(extracted or LegalFramework.objects.filter(code="wmo"))
