from datetime import timedelta

import factory
from django.utils import timezone

from .models import Contact, ContactKind, ContactStatus


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    kind = ContactKind.HUISBEZOEK
    status = ContactStatus.PLANNED
    planned_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
