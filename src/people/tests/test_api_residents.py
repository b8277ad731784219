"""The API registers and changes residents with the same checks as the form, by BSN through the BRP
or with the data sent; errors are RFC 9457 problems."""

import pytest
from django.urls import reverse

from conftest import login
from people.factories import household_in
from people.models import Resident
from privacy.models import AccessLog, Action, FieldChange

from .test_brp import _closed_port, a_person_with_a_partner

pytestmark = pytest.mark.django_db

URL = reverse("people_api:resident-search")


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_register_by_bsn_through_the_brp(world, as_worker, brp):
    person = a_person_with_a_partner()
    response = post(as_worker, {"bsn": person["burgerservicenummer"], "from_brp": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["aanschrijfwijze"] == person["adressering"]["aanschrijfwijze"]["naam"]
    assert Resident.objects.get().bsn == person["burgerservicenummer"]
    assert AccessLog.objects.filter(action=Action.BRP_LOOKUP, user=world.worker).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"bsn": "123456789", "geslachtsnaam": "Visser", "birth_date": "1970-01-01"}, "bsn"),
        ({"geslachtsnaam": "Visser"}, "birth_date"),
        ({"geslachtsnaam": "Visser", "birth_date": "1970-01-01", "postcode": "89 AB"}, "postcode"),
    ],
)
def test_the_same_checks_as_the_form_as_a_problem(world, as_worker, data, field):
    response = post(as_worker, data)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert field in [p["name"] for p in response.json()["invalid_params"]]
    assert not Resident.objects.exists()


def test_duplicates_are_refused_or_confirmed(world, as_worker):
    household_in(world.area_a, geslachtsnaam="Visser", birth_date="1970-01-01", bsn="999993185")
    again = post(as_worker, {"bsn": "999993185", "geslachtsnaam": "Anders", "birth_date": "1980-01-01"})
    assert again.status_code == 400 and [p["name"] for p in again.json()["invalid_params"]] == ["bsn"]
    twin = {"geslachtsnaam": "Visser", "birth_date": "1970-01-01"}
    assert post(as_worker, twin).status_code == 400
    confirmed = post(as_worker, {**twin, "confirm_different": True})
    assert confirmed.status_code == 201 and Resident.objects.count() == 2
    assert "intake" in confirmed.json()["where"].lower(), "no address: the municipal intake queue"


def test_when_the_brp_does_not_answer_the_api_says_so(world, as_worker, settings):
    settings.BRP = {**settings.BRP, "URL": f"http://127.0.0.1:{_closed_port()}/personen", "TIMEOUT": 1}
    response = post(as_worker, {"bsn": "999993653", "from_brp": True})
    assert response.status_code == 503 and response["Content-Type"] == "application/problem+json"


def test_change_a_resident_keeps_the_history_and_others_get_404(world, as_worker):
    resident = household_in(world.area_a, geslachtsnaam="Visser", birth_date="1970-01-01").members.get().resident
    url = reverse("people_api:resident-update", args=[resident.pk])
    response = as_worker.patch(
        url, {"geslachtsnaam": "Visscher", "reason": "Spelfout"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    change = FieldChange.objects.get(resident=resident, field="geslachtsnaam")
    assert (change.old, change.new, change.reason) == ("Visser", "Visscher", "Spelfout")
    assert login(world.outsider).patch(url, {"geslachtsnaam": "X"}, content_type="application/json").status_code == 404
