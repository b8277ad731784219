from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.models import LegalFramework
from partners.factories import OrganisationFactory
from partners.models import OrganisationKind
from provisions.factories import ProvisionFactory
from provisions.models import Contract, ProvisionKind

from .models import IndicationAdvice


def beschikker_of(municipality, **kwargs):
    return UserFactory(role=Role.BESCHIKKER, municipality=municipality, **kwargs)


def customised_provision(municipality, *, providers=1, category="01", unit="04", price="31.50", framework="wmo", **kw):
    """A customised provision with ``providers`` contracted providers (each with an AGB code)."""
    provision = ProvisionFactory(
        municipality=municipality,
        kind=ProvisionKind.MAATWERK,
        framework=LegalFramework.objects.get(code=framework),
        product_category=category,
        unit=unit,
        unit_price=Decimal(price),
        **kw,
    )
    for n in range(providers):
        provider = OrganisationFactory(
            municipality=municipality,
            kind=OrganisationKind.AANBIEDER,
            agb_code=f"{75750001 + n + provision.pk * 10:08d}",
        )
        Contract.objects.create(
            provision=provision, provider=provider, valid_from=timezone.localdate() - timedelta(days=365)
        )
    return provision


class IndicationAdviceFactory(factory.django.DjangoModelFactory):
    """``IndicationAdviceFactory(case=case, provision=provision)``: an advice waiting for a decision."""

    class Meta:
        model = IndicationAdvice

    case = None
    provision = None
    resident = factory.LazyAttribute(lambda o: o.case.resident)
    volume = 3
    unit = factory.LazyAttribute(lambda o: o.provision.unit)
    frequency = "2"
    starts_on = factory.LazyFunction(timezone.localdate)
    grounds = "Kan het huishouden niet zelf doen; netwerk woont ver weg."
    aanvraag_date = factory.LazyFunction(timezone.localdate)
    decision_due = factory.LazyAttribute(lambda o: o.aanvraag_date + timedelta(days=14))
    written_by = factory.LazyAttribute(lambda o: o.case.team.memberships.first().user)
    preferred_provider = factory.LazyAttribute(lambda o: o.provision.providers.order_by("pk").first())
