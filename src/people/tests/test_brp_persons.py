"""RvIG's test persons as residents: the whole shipped set keeps the names the BRP prescribes; a
resident registered by hand with her partner's name is shown and found by it; secrecy keeps the
address off lists."""

import json
from datetime import date

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from conftest import login
from people import names
from people.brp.persons import name_of, resident_fields
from people.factories import household_in
from people.models import Resident
from wijkteam.reference import data_path

PERSONS = json.loads(data_path("brp", "brp_testpersonen.json").read_text(encoding="utf-8"))


def test_every_test_person_keeps_the_names_the_brp_prescribes():
    titled = uses = 0
    for person in PERSONS:
        name = name_of(person)
        fields = resident_fields(person)
        resident = Resident(**{k: v for k, v in fields.items() if k not in {"birth_date", "date_of_death"}})
        assert resident.aanschrijfwijze == names.aanschrijfwijze(name)[0], person["burgerservicenummer"]
        assert resident.aanspreekvorm == names.aanschrijfwijze(name)[1], person["burgerservicenummer"]
        assert resident.aanhef == (names.aanhef(name) or "Geachte heer/mevrouw"), person["burgerservicenummer"]
        assert resident.in_text == (names.gebruik_in_lopende_tekst(name) or resident.display_name)
        titled += bool(name.title)
        uses += name.use != "E"
    assert titled >= 10 and uses >= 20, "the set has titles, predicates and every kind of name use"


def test_a_jonkvrouw_using_her_own_name_is_addressed_with_her_predicate():
    person = next(p for p in PERSONS if p["burgerservicenummer"] == "999990305")
    fields = resident_fields(person)
    resident = Resident(**{k: v for k, v in fields.items() if k not in {"birth_date", "date_of_death"}})
    assert resident.adellijke_titel == "JV" and resident.rni and resident.country == "Servië"
    assert "jonkvrouw" in (resident.aanschrijfwijze + resident.in_text).lower() or resident.naamgebruik != "E"


@pytest.mark.django_db
def test_a_resident_registered_with_her_partners_name_is_shown_and_found_by_either_surname(world, as_worker):
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    response = as_worker.post(
        reverse("people:resident_new"),
        {
            "voornamen": "Anna",
            "geslachtsnaam": "Jansma",
            "geslacht": "V",
            "birth_date": "1972-06-01",
            "naamgebruik": "P",
            "partner_geslachtsnaam": "Vermeulen",
            "postcode": "8921AB",
            "huisnummer": "3",
        },
    )
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert resident.display_name == "Anna Vermeulen"
    assert resident.aanschrijfwijze == "A. Vermeulen" and resident.aanhef == "Geachte mevrouw Vermeulen"
    for surname in ("Vermeulen", "Jansma"):
        found = as_worker.get(reverse("people:search"), {"q": surname})
        assert [r.pk for r in found.context["results"]] == [resident.pk], surname
    page = as_worker.get(response.url)
    assert "Geachte mevrouw Vermeulen" in page.content.decode()


@pytest.mark.django_db
def test_a_secret_address_is_on_no_list_but_on_the_household_page(world, as_worker):
    household = household_in(
        world.area_a,
        voornamen="Sietske",
        geslachtsnaam="Bosma",
        birth_date=date(1956, 4, 2),
        straat="Geheimstraat",
        geheimhouding=True,
    )
    found = as_worker.get(reverse("people:search"), {"q": "Bosma"})
    assert found.context["results"] and "Geheimstraat" not in found.content.decode()
    page = login(world.worker).get(reverse("people:household", args=[household.pk]))
    assert "Geheimstraat" in page.content.decode() and "geheimhouding" in page.content.decode()
