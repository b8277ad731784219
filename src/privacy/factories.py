import factory
from django.utils import timezone

from partners.factories import OrganisationFactory

from .models import Consent, ConsentMode, DataCategory


class ConsentFactory(factory.django.DjangoModelFactory):
    """A valid written consent, given today for a year, to share name and question."""

    class Meta:
        model = Consent

    organisation = factory.SubFactory(OrganisationFactory)
    categories = factory.LazyFunction(lambda: [DataCategory.PERSONAL, DataCategory.QUESTION])
    purpose = "Warme overdracht"
    form = ConsentMode.WRITTEN
    given_on = factory.LazyFunction(timezone.localdate)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=365))
