"""The desk and the take-up of a referral look a new resident up in the BRP as the resident form does
(``people.brp.fill``): a BSN instead of ten fields, every lookup in the access log with its purpose,
and when the BRP does not answer the form says so and registering by hand still works."""

import time

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from cases.models import Case
from intake.models import Outcome, ReferralSource
from intake.services import referral_submit
from people.factories import household_in
from people.models import Resident
from people.tests.test_brp import _closed_port, a_person_with_a_partner
from privacy.models import AccessLog, Action, Purpose
from zrm.models import LifeDomain

DESK = reverse("intake:desk")
HTMX = {"HX-Request": "true"}


def question(**data) -> dict:
    return {
        "text": "Zoekt hulp bij de administratie.",
        "life_domains": [LifeDomain.objects.get(code="financien").pk],
        "channel": "balie",
        "outcome": Outcome.MELDING,
        "started": time.time() - 60,
        **data,
    }


@pytest.mark.django_db
def test_the_desk_looks_up_a_bsn_and_registers_the_resident_as_the_brp_knows_them(world, as_worker, brp):
    person = a_person_with_a_partner()
    bsn = person["burgerservicenummer"]
    response = as_worker.post(DESK, question(new_bsn=bsn, brp="1"), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="new-resident">'), "only the new resident's fields come back"
    form = response.context["form"]
    assert not form.is_bound and form.initial["new_geslachtsnaam"] == person["naam"]["geslachtsnaam"]
    assert form.initial["new_naamgebruik"] == person["naam"]["aanduidingNaamgebruik"]["code"]
    assert form.initial["text"] == "Zoekt hulp bij de administratie.", "the question typed stays"
    assert person["naam"]["geslachtsnaam"] in html and 'id="id_new_partner_geslachtsnaam"' in html
    log = AccessLog.objects.get(action=Action.BRP_LOOKUP)
    assert log.user == world.worker and log.purpose == Purpose.INTAKE and bsn not in log.detail
    # Registering with what the BRP gave: nothing typed but the BSN, the names as the BRP prescribes.
    PostcodeAreaFactory(postcode4=form.initial["new_postcode"][:4], area=world.area_a)
    saved = as_worker.post(DESK, {k: v for k, v in form.initial.items() if k != "started"} | question())
    assert saved.status_code == 302, saved.context["form"].errors
    resident = Resident.objects.get()
    assert resident.bsn == bsn and resident.aanschrijfwijze == person["adressering"]["aanschrijfwijze"]["naam"]
    assert resident.naamgebruik == person["naam"]["aanduidingNaamgebruik"]["code"]
    assert resident.partner_geslachtsnaam and resident.area == world.area_a
    assert Case.objects.get().resident == resident


@pytest.mark.django_db
def test_without_javascript_the_desk_comes_back_filled(world, as_worker, brp):
    person = a_person_with_a_partner()
    response = as_worker.post(DESK, question(new_bsn=person["burgerservicenummer"], brp="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and 'id="brp-message"' in html
    assert response.context["form"].initial["new_birth_date"] == person["geboorte"]["datum"]["datum"]


@pytest.mark.django_db
def test_a_bsn_already_registered_is_said_beside_the_bsn(world, as_worker, brp):
    person = a_person_with_a_partner()
    household_in(world.area_a, bsn=person["burgerservicenummer"], geslachtsnaam="Al Bekend")
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    response = as_worker.post(
        DESK,
        question(
            new_bsn=person["burgerservicenummer"],
            new_geslachtsnaam="Tweede",
            new_birth_date="1980-01-01",
            new_postcode="8921AB",
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("new_bsn"), response.context["form"].errors
    assert Resident.objects.count() == 1


@pytest.mark.django_db
def test_when_the_brp_does_not_answer_the_desk_says_so_and_registers_by_hand(world, as_worker, settings):
    settings.BRP = {**settings.BRP, "URL": f"http://127.0.0.1:{_closed_port()}/personen", "TIMEOUT": 1}
    response = as_worker.post(DESK, question(new_bsn="999993653", new_geslachtsnaam="Visser", brp="1"), headers=HTMX)
    assert response.status_code == 200 and not response.context["brp_ok"]
    assert "BRP" in response.context["brp_message"] and 'id="brp-message"' in response.content.decode()
    assert response.context["form"].initial["new_geslachtsnaam"] == "Visser", "what was typed stays"
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    saved = as_worker.post(
        DESK,
        question(new_bsn="999993653", new_geslachtsnaam="Visser", new_birth_date="1970-01-01", new_postcode="8921 AB"),
    )
    assert saved.status_code == 302
    resident = Resident.objects.get()
    assert resident.geslachtsnaam == "Visser" and resident.bsn == "999993653" and resident.naamgebruik == "E"


@pytest.mark.django_db
def test_taking_up_a_referral_looks_the_new_resident_up_in_the_brp(world, as_worker, as_outsider, brp):
    person = a_person_with_a_partner()
    postcode = person["verblijfplaats"]["verblijfadres"]["postcode"]
    PostcodeAreaFactory(postcode4=postcode[:4], area=world.area_a)
    referral = referral_submit(
        municipality=world.municipality,
        source=ReferralSource.SELF,
        name="Iemand",
        concern="Het lukt niet meer.",
        postcode=postcode,
        phone="0581000000",
    ).referral
    url = reverse("intake:referral", args=[referral.pk])
    # Someone of another team may not look up through a referral they cannot see.
    assert as_outsider.post(url, {"take_up": "1", "new_bsn": "999993653", "brp": "1"}).status_code == 404
    assert not AccessLog.objects.filter(action=Action.BRP_LOOKUP).exists()
    response = as_worker.post(
        url, {"take_up": "1", "new_bsn": person["burgerservicenummer"], "brp": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["new_geslachtsnaam"] == person["naam"]["geslachtsnaam"]
    assert AccessLog.objects.get(action=Action.BRP_LOOKUP).purpose == Purpose.INTAKE
    taken = as_worker.post(url, {**form.initial, "take_up": "1"})
    assert taken.status_code == 302
    case = Case.objects.get()
    assert case.resident.bsn == person["burgerservicenummer"]
    assert case.resident.aanschrijfwijze == person["adressering"]["aanschrijfwijze"]["naam"]
