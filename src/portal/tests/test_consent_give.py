"""Giving a consent to share in Mijn Wijkteam: which partner of the municipality, what, for which
purpose; recorded in the consent registry as given in Mijn Wijkteam and valid at once."""

from django.urls import reverse
from django.utils import timezone

from areas.factories import MunicipalityFactory
from cases.models import CaseEvent
from conftest import login
from partners.factories import OrganisationFactory
from privacy.models import AccessLog, Consent, ConsentMode, DataCategory
from privacy.services import CONSENT_TERM, valid_consent

from .conftest import resident_client

URL = "portal:consent_give"


def test_the_resident_gives_a_consent_valid_at_once(world, family):
    partner = OrganisationFactory(municipality=world.municipality, name="Schuldhulp Friesland")
    elsewhere = OrganisationFactory(
        municipality=MunicipalityFactory(cbs_code="GM0074", name="Heerenveen"), name="Elders Hulp"
    )
    client = resident_client(family.govert)
    assert reverse(URL) in client.get(reverse("portal:consents")).content.decode()
    page = client.get(reverse(URL))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Schuldhulp Friesland" in html and "Elders Hulp" not in html
    assert AccessLog.objects.filter(resident_id=family.govert.pk, detail="Mijn Wijkteam: give a consent").exists()

    refused = client.post(reverse(URL), {"organisation": elsewhere.pk, "categories": [DataCategory.PLAN]})
    assert refused.status_code == 400
    assert not Consent.objects.exists()

    response = client.post(
        reverse(URL),
        {"organisation": partner.pk, "categories": [DataCategory.PLAN, DataCategory.QUESTION], "purpose": "Schulden"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    today = timezone.localdate()
    assert (consent.resident, consent.organisation, consent.purpose, consent.form) == (
        family.govert,
        partner,
        "Schulden",
        ConsentMode.WRITTEN,
    )
    assert (consent.given_on, consent.expires_on, consent.recorded_by, consent.via_portal) == (
        today,
        today + CONSENT_TERM,
        None,
        True,
    )
    assert valid_consent(resident=family.govert, organisation=partner, categories=[DataCategory.PLAN]) == consent
    assert CaseEvent.objects.filter(case=family.case, kind="consent", by=None).exists()
    assert not CaseEvent.objects.filter(case=family.child_case, kind="consent").exists()
    assert "Schuldhulp Friesland" in client.get(reverse("portal:consents")).content.decode()
    team_page = login(world.worker).get(reverse("people:consents", args=[family.household.pk])).content.decode()
    assert "de inwoner in Mijn Wijkteam" in team_page


def test_an_empty_form_keeps_what_was_written(world, family):
    partner = OrganisationFactory(municipality=world.municipality)
    response = resident_client(family.govert).post(reverse(URL), {"organisation": partner.pk, "purpose": "Werk"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Werk"' in html
    assert not Consent.objects.exists()
