"""The smoelenboek: who knows this area, answered in one search."""

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import AreaFactory
from conftest import login
from partners.factories import OrganisationFactory
from partners.models import OrganisationKind, PartnerContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    school = OrganisationFactory(
        municipality=world.municipality, name="Basisschool De Zwette", kind=OrganisationKind.SCHOOL
    )
    school.areas.set([world.area_a])
    bureau = OrganisationFactory(
        municipality=world.municipality, name="Consultatiebureau Huizum", kind=OrganisationKind.CONSULTATIEBUREAU
    )
    bureau.areas.set([world.area_a])
    police = OrganisationFactory(municipality=world.municipality, name="Politie", kind=OrganisationKind.POLITIE)
    PartnerContact.objects.create(
        organisation=school, name="Jan Kooistra", role="schoolmaatschappelijk werker", phone="06 1"
    )
    PartnerContact.objects.create(
        organisation=bureau, name="Aafke Postma", role="jeugdverpleegkundige", expertise="slapen", phone="06 2"
    )
    agent_b = PartnerContact.objects.create(organisation=police, name="Sandra Bouma", role="wijkagent", phone="06 3")
    agent_b.areas.set([world.area_b])
    agent_a = PartnerContact.objects.create(organisation=police, name="Rinse Hoekstra", role="wijkagent", phone="06 4")
    agent_a.areas.set([world.area_a])
    world.worker.phone = "06 5555 0001"
    world.worker.save()


def test_who_knows_this_area_in_one_search(world, directory, django_assert_max_num_queries):
    client = login(world.worker)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("partners:directory"), {"area": world.area_a.pk}).content.decode()
    for expected in ("Jan Kooistra", "Aafke Postma", "Rinse Hoekstra", "Basisschool De Zwette", "06 5555 0001"):
        assert expected in page
    assert "Sandra Bouma" not in page
    page = client.get(reverse("partners:directory"), {"q": "wijkagent"}).content.decode()
    assert "Sandra Bouma" in page and "Rinse Hoekstra" in page and "Aafke Postma" not in page
    page = client.get(reverse("partners:directory"), {"q": "slapen", "area": world.area_a.pk}).content.decode()
    assert "Aafke Postma" in page


def test_directory_query_count_does_not_grow(world, directory, django_assert_max_num_queries):
    for n in range(10):
        UserFactory(role=Role.SOCIAL_WORKER, municipality=world.municipality, teams=[world.team_a])
        PartnerContact.objects.create(
            organisation=OrganisationFactory(municipality=world.municipality), name=f"Contact {n}", role="x"
        )
    client = login(world.worker)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("partners:directory"), {"area": world.area_a.pk}).content.decode()
    assert "Contact 9" in page


def test_directory_needs_signing_in(client):
    response = client.get(reverse("partners:directory"))
    assert response.status_code == 302


def test_the_districts_to_choose_from_are_alphabetical(world, as_worker):
    """They came in the order of their CBS codes (issue 23)."""
    for code, name in [("WK008098", "Aldlân"), ("WK008097", "Zuiderburen"), ("WK008096", "Bilgaard")]:
        AreaFactory(municipality=world.municipality, cbs_code=code, name=name)
    form = as_worker.get(reverse("partners:directory")).context["form"]
    names = [area.name for area in form.fields["area"].queryset]
    assert names == sorted(names) and {"Aldlân", "Bilgaard", "Zuiderburen"} <= set(names)
