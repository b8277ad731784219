"""The consent registry: consent to share named data with a named partner for a purpose, kept
apart from the legal basis; recorded, shown and withdrawn on the household's dossier; and the
sharing actions that check it (docs/privacy.md)."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from conftest import login
from contacts.models import CaseConference
from partners.factories import OrganisationFactory
from privacy.factories import ConsentFactory
from privacy.models import Consent, DataCategory
from provisions.factories import ProvisionFactory
from provisions.models import ProvisionReferral

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


@pytest.fixture
def kredietbank(world):
    return OrganisationFactory(municipality=world.municipality, name="Kredietbank Leeuwarden")


def today():
    return timezone.localdate()


def test_record_view_and_withdraw_a_consent_on_the_household_page(world, case, kredietbank, as_worker):
    url = reverse("people:consents", args=[case.household_id])
    page = as_worker.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["given_on"] == today() and form.initial["expires_on"] == today() + timedelta(days=365)
    response = as_worker.post(
        url,
        {
            "resident": case.resident_id,
            "organisation": kredietbank.pk,
            "categories": [DataCategory.PERSONAL, DataCategory.FINANCES],
            "purpose": "Aanmelding schuldhulp",
            "form": "schriftelijk",
            "given_on": today().isoformat(),
            "expires_on": (today() + timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.resident, consent.organisation, consent.recorded_by) == (case.resident, kredietbank, world.worker)
    assert consent.categories == ["personalia", "financien"]
    household = as_worker.get(reverse("people:household", args=[case.household_id]))
    assert household.context["valid_consents"] == 1
    listed = as_worker.get(url).content.decode()
    assert "Kredietbank Leeuwarden" in listed and "Aanmelding schuldhulp" in listed
    withdraw = reverse("people:consent_withdraw", args=[case.household_id, consent.pk])
    assert as_worker.post(withdraw, {"form": "mondeling", "withdrawn_on": today().isoformat()}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == today() and consent.withdrawn_by == world.worker
    assert consent.withdrawal_form == "mondeling"
    assert as_worker.get(reverse("people:household", args=[case.household_id])).context["valid_consents"] == 0
    again = as_worker.post(withdraw, {"form": "mondeling", "withdrawn_on": today().isoformat()})
    assert again.status_code == 400


def test_a_consent_needs_data_a_purpose_and_a_sensible_period(case, kredietbank, as_worker):
    response = as_worker.post(
        reverse("people:consents", args=[case.household_id]),
        {
            "resident": case.resident_id,
            "organisation": kredietbank.pk,
            "purpose": "",
            "form": "mondeling",
            "given_on": today().isoformat(),
            "expires_on": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert {"categories", "purpose"} <= set(response.context["form"].errors)
    assert not Consent.objects.exists()
    response = as_worker.post(
        reverse("people:consents", args=[case.household_id]),
        {
            "resident": case.resident_id,
            "organisation": kredietbank.pk,
            "categories": ["personalia"],
            "purpose": "Overdracht",
            "form": "mondeling",
            "given_on": today().isoformat(),
            "expires_on": (today() - timedelta(days=1)).isoformat(),
        },
    )
    assert "expires_on" in response.context["form"].errors


def test_others_cannot_see_or_change_the_consents(world, case, kredietbank, as_outsider):
    consent = ConsentFactory(resident=case.resident, organisation=kredietbank, recorded_by=world.worker)
    assert as_outsider.get(reverse("people:consents", args=[case.household_id])).status_code == 404
    withdraw = reverse("people:consent_withdraw", args=[case.household_id, consent.pk])
    assert as_outsider.post(withdraw, {"form": "mondeling", "withdrawn_on": today().isoformat()}).status_code == 404
    assert login(world.policy).get(reverse("people:consents", args=[case.household_id])).status_code == 403
    # A consent of another household is not reachable through this household.
    other = CaseFactory(team=world.team_a)
    wrong = reverse("people:consent_withdraw", args=[other.household_id, consent.pk])
    assert (
        login(world.worker).post(wrong, {"form": "mondeling", "withdrawn_on": today().isoformat()}).status_code == 404
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def refer(client, case, provision):
    return client.post(
        reverse("provisions:refer", args=[case.pk, provision.pk]),
        {"note": "Gebeld met de schuldhulp", "follow_up_on": (today() + timedelta(weeks=3)).isoformat()},
    )


def test_a_referral_to_a_partners_provision_needs_valid_consent(world, case, kredietbank, as_worker):
    provision = ProvisionFactory(
        municipality=world.municipality, name="Schuldhulp-spreekuur", organisation=kredietbank
    )
    refused = refer(as_worker, case, provision)
    assert refused.status_code == 400
    message = " ".join(refused.context["form"].non_field_errors())
    assert "Kredietbank Leeuwarden" in message and "toestemming" in message
    assert not ProvisionReferral.objects.exists()
    # Consent for other data, for another partner, expired or withdrawn: still refused.
    ConsentFactory(
        resident=case.resident, organisation=kredietbank, categories=["personalia"], recorded_by=world.worker
    )
    ConsentFactory(resident=case.resident, recorded_by=world.worker)
    ConsentFactory(
        resident=case.resident,
        organisation=kredietbank,
        given_on=today() - timedelta(days=400),
        expires_on=today() - timedelta(days=1),
        recorded_by=world.worker,
    )
    ConsentFactory(resident=case.resident, organisation=kredietbank, withdrawn_on=today(), recorded_by=world.worker)
    assert refer(as_worker, case, provision).status_code == 400
    ConsentFactory(resident=case.resident, organisation=kredietbank, recorded_by=world.worker)
    assert refer(as_worker, case, provision).status_code == 302
    assert ProvisionReferral.objects.get().case == case


def test_a_provision_the_municipality_runs_itself_needs_no_consent(world, case, as_worker):
    provision = ProvisionFactory(municipality=world.municipality, name="Buurthuis")
    assert refer(as_worker, case, provision).status_code == 302


def conference(client, case, organisations):
    return client.post(
        reverse("contacts:conference_new", args=[case.pk]),
        {
            "day": today().isoformat(),
            "at": "00:00",
            "organisations": [o.pk for o in organisations],
            "decisions": "Schuldhulp via de Kredietbank.",
        },
    )


def test_a_partner_at_the_case_conference_needs_consent_to_share_the_plan(world, case, kredietbank, as_worker):
    ConsentFactory(resident=case.resident, organisation=kredietbank, recorded_by=world.worker)  # no plan
    refused = conference(as_worker, case, [kredietbank])
    assert refused.status_code == 400
    assert "Kredietbank Leeuwarden" in " ".join(refused.context["form"].errors["organisations"])
    assert not CaseConference.objects.exists()
    ConsentFactory(
        resident=case.resident,
        organisation=kredietbank,
        categories=["personalia", "vraag", "plan"],
        recorded_by=world.worker,
    )
    assert conference(as_worker, case, [kredietbank]).status_code == 302
    assert list(CaseConference.objects.get().organisations.all()) == [kredietbank]


def test_the_residents_file_lists_consents_and_withdrawals(world, case, kredietbank):
    ConsentFactory(resident=case.resident, organisation=kredietbank, withdrawn_on=today(), recorded_by=world.worker)
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    data = json.loads(login(officer).get(reverse("privacy:resident_json", args=[case.resident_id])).content)
    (consent,) = data["consents"]
    assert consent["organisation"] == "Kredietbank Leeuwarden"
    assert consent["withdrawn_on"] == today().isoformat()
