import random
from datetime import date

import factory

from .models import Household, HouseholdMember, NetworkMember, Relation, Resident


def valid_bsn(seed: int) -> str:
    """A BSN that passes the eleven-test, different for each seed."""
    rng = random.Random(seed)
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        digits[0] = rng.randint(1, 9)
        remainder = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if remainder < 10:
            return "".join(map(str, digits)) + str(remainder)


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    voornamen = factory.Faker("first_name", locale="nl_NL")
    geslachtsnaam = factory.Faker("last_name", locale="nl_NL")
    birth_date = factory.Faker("date_between", start_date=date(1940, 1, 1), end_date=date(2005, 12, 31))
    postcode = "8921AB"
    huisnummer = factory.Sequence(lambda n: n + 1)
    straat = "Zwettestraat"
    woonplaats = "Leeuwarden"

    @factory.post_generation
    def bsn(self, create, extracted, **kwargs):
        self.set_bsn(extracted or "")
        self.refresh_search_text()
        if create:
            self.save()


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    label = factory.Faker("last_name", locale="nl_NL")


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    resident = factory.SubFactory(ResidentFactory)
    relation = Relation.MAIN


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    resident = factory.SubFactory(ResidentFactory)
    name = factory.Faker("name", locale="nl_NL")
    relation = "parent"
    support = "Doet eens per drie weken de boodschappen"


def household_in(area, **resident_fields) -> Household:
    """A household of one resident living in ``area``."""
    resident = ResidentFactory(area=area, **resident_fields)
    household = HouseholdFactory(area=area, label=resident.surname_in_use)
    HouseholdMemberFactory(household=household, resident=resident)
    return household
