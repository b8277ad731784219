"""Who lives at a household's address according to the BRP (ZoekMetPostcodeEnHuisnummer on the local
BRP service, then RaadpleegMetBurgerservicenummer), added to the household in one step: relations
suggested from the main person's partners, children and parents, secrecy kept, every lookup in the
access log with its purpose, someone else gets 404; and a member added by hand without an address
gets the household's address (issue 23)."""

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from people.factories import household_in
from people.models import HouseholdMember, Relation, Resident
from people.tests.test_brp import _closed_port
from privacy.models import AccessLog, Action, Purpose

pytestmark = pytest.mark.django_db

# RvIG's test persons: the Geus family at 2511CA 55 (a daughter there has died), and at 9731HM 60 a
# mother with two children and someone with secrecy (geheimhouding).
GEUS, PARTNER, CHILDREN, DIED = "999970008", "999970148", {"999970288", "999970331"}, "999970422"
WIEL, WIEL_CHILDREN, SECRET = "999993677", {"999990032", "999994906"}, "999994943"


@pytest.fixture
def geus(world):
    PostcodeAreaFactory(postcode4="2511", area=world.area_a)
    return household_in(world.area_a, bsn=GEUS, geslachtsnaam="Geus", postcode="2511CA", huisnummer=55, straat="Spui")


def url(household) -> str:
    return reverse("people:housemates", args=[household.pk])


def test_the_brp_tells_who_lives_here_and_they_join_the_household_in_one_step(
    world, geus, as_worker, brp, django_assert_max_num_queries
):
    assert as_worker.get(url(geus)).status_code == 200
    assert not AccessLog.objects.filter(action=Action.BRP_LOOKUP).exists(), "looking up is a deliberate step"
    with django_assert_max_num_queries(20):
        response = as_worker.post(url(geus), {"look": "1"})
    assert response.status_code == 200
    found = {mate.bsn: mate for mate in response.context["found"]}
    assert set(found) == {PARTNER, *CHILDREN}, "the main person is not listed, the dead daughter neither"
    assert found[PARTNER].relation == Relation.PARTNER
    assert {found[bsn].relation for bsn in CHILDREN} == {Relation.CHILD}
    logs = AccessLog.objects.filter(action=Action.BRP_LOOKUP, user=world.worker)
    assert logs.count() == 2 and set(logs.values_list("purpose", flat=True)) == {Purpose.REGISTRATION}
    assert not any(bsn in log.detail for log in logs for bsn in (GEUS, PARTNER, *CHILDREN))
    html = response.content.decode()
    assert 'for="relation-1"' in html and 'id="relation-1"' in html
    # One step: everyone ticked, each with the relation suggested.
    data = {"add": "1", "bsn": list(found), **{f"relation_{bsn}": mate.relation for bsn, mate in found.items()}}
    added = as_worker.post(url(geus), data)
    assert added.status_code == 302 and added.url == reverse("people:household", args=[geus.pk])
    members = {m.resident.bsn: m for m in HouseholdMember.objects.filter(household=geus).select_related("resident")}
    assert set(members) == {GEUS, PARTNER, *CHILDREN}
    child = members[next(iter(CHILDREN))]
    assert child.relation == Relation.CHILD and child.resident.geslachtsnaam == "Geus"
    assert (child.resident.postcode, child.resident.huisnummer, child.resident.area) == ("2511CA", 55, world.area_a)
    assert members[PARTNER].resident.geslachtsnaam == "Goverwelle"
    # Looked up again: they are members now, not to be added twice.
    again = as_worker.post(url(geus), {"look": "1"})
    assert all(mate.member for mate in again.context["found"])


def test_only_who_lives_at_the_address_can_be_added(world, geus, as_worker, brp):
    response = as_worker.post(url(geus), {"add": "1", "bsn": [WIEL], f"relation_{WIEL}": Relation.PARTNER})
    assert response.status_code == 400 and response.context["message"]
    assert not Resident.objects.filter(geslachtsnaam="Wiel").exists()


def test_someone_else_gets_404_and_the_brp_is_not_asked(world, geus, as_outsider, brp):
    assert as_outsider.get(url(geus)).status_code == 404
    assert as_outsider.post(url(geus), {"look": "1"}).status_code == 404
    assert as_outsider.post(url(geus), {"add": "1", "bsn": [PARTNER]}).status_code == 404
    assert not AccessLog.objects.filter(action=Action.BRP_LOOKUP).exists()
    assert HouseholdMember.objects.filter(household=geus).count() == 1


def test_secrecy_comes_with_the_housemate(world, as_worker, brp):
    PostcodeAreaFactory(postcode4="9731", area=world.area_a)
    household = household_in(world.area_a, bsn=WIEL, geslachtsnaam="Wiel", postcode="9731HM", huisnummer=60)
    found = {m.bsn: m for m in as_worker.post(url(household), {"look": "1"}).context["found"]}
    assert set(found) == {*WIEL_CHILDREN, SECRET} and found[SECRET].secret
    assert {found[bsn].relation for bsn in WIEL_CHILDREN} == {Relation.CHILD}
    as_worker.post(url(household), {"add": "1", "bsn": [SECRET], f"relation_{SECRET}": Relation.OTHER})
    secret = Resident.objects.exclude(pk=household.members.get(relation=Relation.MAIN).resident_id).get()
    assert secret.geheimhouding and secret.bsn == SECRET


def test_when_the_brp_does_not_answer_the_page_says_so(world, geus, as_worker, settings):
    settings.BRP = {**settings.BRP, "URL": f"http://127.0.0.1:{_closed_port()}/personen", "TIMEOUT": 1}
    response = as_worker.post(url(geus), {"look": "1"})
    assert response.status_code == 200 and "BRP" in response.context["message"]
    assert (
        reverse("people:member_add", args=[geus.pk])
        in as_worker.get(reverse("people:household", args=[geus.pk])).content.decode()
    )


def test_a_child_added_by_hand_gets_the_households_address(world, as_worker):
    """Issue 23: "children added to a household get no address"."""
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    household = household_in(
        world.area_a,
        geslachtsnaam="Hoekstra",
        postcode="8921AB",
        huisnummer=7,
        huisletter="a",
        straat="Tuinstraat",
        woonplaats="Leeuwarden",
        geheimhouding=True,
    )
    response = as_worker.post(
        reverse("people:member_add", args=[household.pk]),
        {
            "relation": Relation.CHILD,
            "lives_here": "on",
            "voornamen": "Sanne",
            "geslachtsnaam": "Hoekstra",
            "birth_date": "2015-04-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    child = Resident.objects.get(voornamen="Sanne")
    assert (child.straat, child.huisnummer, child.huisletter, child.postcode, child.woonplaats) == (
        "Tuinstraat",
        7,
        "a",
        "8921AB",
        "Leeuwarden",
    )
    assert child.area == world.area_a and child.geheimhouding, "the secret address stays secret"
    # Who lives elsewhere keeps no address rather than the household's.
    as_worker.post(
        reverse("people:member_add", args=[household.pk]),
        {"relation": Relation.PARENT, "voornamen": "Oma", "geslachtsnaam": "Hoekstra", "birth_date": "1950-04-01"},
    )
    assert Resident.objects.get(voornamen="Oma").postcode == ""


def test_registered_from_the_brp_the_worker_is_offered_who_else_lives_there(world, as_worker, brp):
    PostcodeAreaFactory(postcode4="2511", area=world.area_a)
    new = reverse("people:resident_new")
    filled = as_worker.post(new, {"bsn": GEUS, "brp": "1"}).context["form"].initial
    saved = as_worker.post(new, dict(filled))
    household = HouseholdMember.objects.get(resident__geslachtsnaam="Geus").household
    assert saved.status_code == 302 and saved.url == url(household)
    page = as_worker.get(saved.url)
    assert page.status_code == 200 and page.context["found"] is None, "the lookup is the worker's next step"
    found = {m.bsn for m in as_worker.post(saved.url, {"look": "1"}).context["found"]}
    assert found == {PARTNER, *CHILDREN}
