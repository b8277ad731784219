"""The API for providers' software: the same messages over HTTPS with the organisation's key."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cases.factories import CaseFactory
from intake.models import PartnerToken
from maatwerk.factories import beschikker_of, customised_provision
from maatwerk.models import AllocationRequest, Direction, Message
from maatwerk.samples import is_valid, request_315
from partners.factories import OrganisationFactory
from people.factories import household_in, valid_bsn
from privacy.models import AccessLog, Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_api(world):
    provision = customised_provision(world.municipality, category="45", framework="jeugdwet")
    provider = provision.providers.first()
    _token, key = PartnerToken.issue(organisation=provider, name="Zorgsoftware")
    household = household_in(world.area_a, bsn=valid_bsn(1), geslachtsnaam="Hoekstra", birth_date=date(1950, 3, 4))
    case = CaseFactory(team=world.team_a, household=household)
    return provider, Client(HTTP_AUTHORIZATION=f"Token {key}"), case


def post(client, content: bytes):
    return client.post(reverse("maatwerk_api:message-list"), content, content_type="application/xml")


def test_a_provider_sends_a_jw315_and_fetches_the_retour(world, provider_api):
    provider, client, case = provider_api
    content = request_315(
        "JW315", agb=provider.agb_code, municipality=world.municipality.code, bsn=case.resident.bsn, category="45"
    )
    response = post(client, content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["message"]["kind"] == "JW315" and body["retour"]["kind"] == "JW316"
    request = AllocationRequest.objects.get()
    assert request.uploaded_by is None and request.incoming.via_api
    listed = client.get(reverse("maatwerk_api:message-list")).json()
    assert [m["kind"] for m in listed] == ["JW316", "JW315"]
    retour = client.get(reverse("maatwerk_api:message-detail", kwargs={"pk": body["retour"]["id"]}))
    assert retour.status_code == 200 and retour["Content-Type"].startswith("application/xml")
    assert is_valid("JW316", retour.content)
    assert AccessLog.objects.filter(action=Action.API_READ, resident_id=case.resident_id).exists()
    after = client.get(reverse("maatwerk_api:message-list"), {"na": body["retour"]["id"]}).json()
    assert after == []


def test_refusals_are_problems_and_store_nothing(world, provider_api):
    _provider, client, case = provider_api
    other = OrganisationFactory(municipality=world.municipality, agb_code="99999999")
    content = request_315(
        "JW315", agb=other.agb_code, municipality=world.municipality.code, bsn=case.resident.bsn, category="45"
    )
    response = post(client, content)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "uw sleutel hoort bij AGB-code" in response.json()["errors"][0]
    hostile = b'<?xml version="1.0"?>\n<!DOCTYPE b [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<b>&x;</b>'
    response = post(client, hostile)
    assert response.status_code == 400 and "DOCTYPE" in response.json()["errors"][0]
    big = post(client, b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>")
    assert big.status_code == 400 and "MB" in big.json()["errors"][0]
    assert not Message.objects.exists()


def test_a_provider_sees_only_its_own_messages_and_others_get_nothing(world, provider_api):
    _provider, client, case = provider_api
    other = customised_provision(world.municipality).providers.first()
    beschikker = beschikker_of(world.municipality)
    from maatwerk.services import message_receive

    received = message_receive(
        municipality=world.municipality,
        content=request_315(agb=other.agb_code, municipality=world.municipality.code, bsn=case.resident.bsn),
        by=beschikker,
    )
    assert client.get(reverse("maatwerk_api:message-list")).json() == []
    detail = client.get(reverse("maatwerk_api:message-detail", kwargs={"pk": received.message.pk}))
    assert detail.status_code == 404
    # A GP practice's key is no provider's key; no key at all is 401.
    gp = OrganisationFactory(municipality=world.municipality)
    _token, key = PartnerToken.issue(organisation=gp, name="HIS")
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("maatwerk_api:message-list")).status_code == 403
    assert Client().get(reverse("maatwerk_api:message-list")).status_code == 401
    assert Message.objects.filter(direction=Direction.IN).count() == 1
