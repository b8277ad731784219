"""Referrals by partners (form and API), the status-only view, the team's inbox, the bekendheidsvraag."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import PostcodeAreaFactory
from cases.factories import CaseFactory
from cases.models import Case
from cases.services import case_close
from conftest import login
from intake.models import KnownQuery, PartnerToken, Referral, ReferralStatus
from partners.factories import OrganisationFactory
from partners.models import OrganisationKind
from people.factories import household_in, valid_bsn
from privacy.models import AccessLog

SECRET_NOTE = "Vader somber, schulden bij vijf schuldeisers"


@pytest.fixture
def practice(world):
    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    return OrganisationFactory(municipality=world.municipality, kind=OrganisationKind.HUISARTS, name="Huisarts Huizum")


@pytest.fixture
def gp(world, practice):
    return UserFactory(role=Role.REFERRER, municipality=world.municipality, organisation=practice)


@pytest.fixture
def api(practice):
    _token, key = PartnerToken.issue(organisation=practice, name="HIS")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


REFERRAL = {
    "client_reference": "HA-2026-17",
    "name": "Familie de Jong",
    "postcode": "8921 AB",
    "huisnummer": 7,
    "concern": "Schulden, kind verzuimt school, ouder somber.",
    "life_domains": ["financien", "geestelijke-gezondheid", "werk-en-opleiding"],
    "resident_informed": True,
}


def test_a_gp_refers_through_the_form_and_sees_only_the_status(world, gp):
    client = login(gp)
    data = {**REFERRAL, "life_domains": []}
    response = client.post(reverse("intake:refer"), data)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.team == world.team_a and referral.referred_by == gp
    assert referral.status == ReferralStatus.RECEIVED
    again = client.post(reverse("intake:refer"), data)
    assert again.status_code == 302 and Referral.objects.count() == 1
    page = client.get(reverse("intake:refer"))
    assert "Ontvangen" in page.content.decode()


def test_the_api_takes_a_referral_once_and_reports_only_the_status(world, api, practice):
    url = reverse("intake_api:referral-list")
    response = api.post(url, REFERRAL, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "client_reference", "received_at", "status", "status_label"}
    assert body["status"] == "ontvangen"
    assert api.post(url, REFERRAL, content_type="application/json").status_code == 200
    assert Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert [d.code for d in referral.life_domains.order_by("code")] == [
        "financien",
        "geestelijke-gezondheid",
        "werk-en-opleiding",
    ]


def test_the_referrer_follows_the_case_status_but_never_its_content(world, api, gp, practice):
    referral_id = api.post(reverse("intake_api:referral-list"), REFERRAL, content_type="application/json").json()["id"]
    resident = household_in(world.area_a, geslachtsnaam="de Jong").members.get().resident
    team = login(world.worker)
    response = team.post(reverse("intake:referral", args=[referral_id]), {"take_up": "1", "resident": resident.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and case.team == world.team_a
    assert case.events.filter(kind="referral").exists()
    team.post(reverse("cases:note", args=[case.pk]), {"text": SECRET_NOTE})
    detail = reverse("intake_api:referral-detail", args=[referral_id])
    assert api.get(detail).json()["status"] == "in_behandeling"
    gp_page = login(gp).get(reverse("intake:refer")).content.decode()
    assert "In behandeling" in gp_page and "Uitvoering" not in gp_page  # the referral's status, not the case's
    case_close(case=case, by=world.worker, end_reason="19", note=SECRET_NOTE)
    body = api.get(detail).content.decode()
    assert json.loads(body)["status"] == "afgesloten"
    for page in (
        body,
        api.get(reverse("intake_api:referral-list")).content.decode(),
        login(gp).get(reverse("intake:refer")).content.decode(),
    ):
        assert SECRET_NOTE not in page and case.reference not in page and "Schulden" not in page
    # and the referrer has no way into the case itself
    assert login(gp).get(reverse("cases:detail", args=[case.pk])).status_code == 403


def test_another_partner_sees_none_of_these_referrals(world, api, practice):
    referral_id = api.post(reverse("intake_api:referral-list"), REFERRAL, content_type="application/json").json()["id"]
    other = OrganisationFactory(municipality=world.municipality, name="Woningcorporatie Elkien")
    _token, key = PartnerToken.issue(organisation=other, name="CRM")
    other_api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = other_api.get(reverse("intake_api:referral-detail", args=[referral_id]))
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert other_api.get(reverse("intake_api:referral-list")).json() == []


def test_bad_input_gets_problem_details_in_dutch_and_nothing_is_stored(world, api):
    response = api.post(
        reverse("intake_api:referral-list"),
        {"name": "", "postcode": "12", "concern": "x", "life_domains": ["bestaat-niet"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert {"name", "postcode", "life_domains"} <= names
    assert not Referral.objects.exists()
    big = {**REFERRAL, "concern": "x" * 20_000}
    too_large = api.post(reverse("intake_api:referral-list"), big, content_type="application/json")
    assert too_large.status_code == 413 and too_large["Content-Type"] == "application/problem+json"
    assert not Referral.objects.exists()


def test_no_key_or_a_wrong_key_or_a_revoked_key_is_refused(world, practice):
    url = reverse("intake_api:referral-list")
    assert Client().get(url).status_code in {401, 403}
    assert Client(HTTP_AUTHORIZATION="Token nope").get(url).status_code == 401
    token, key = PartnerToken.issue(organisation=practice, name="old")
    token.revoked_at = token.created_at
    token.save()
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(url).status_code == 401
    assert login(world.worker).get(url).status_code == 403


def test_the_team_inbox_shows_waiting_referrals_and_another_team_gets_404(world, api, as_outsider, as_worker):
    referral_id = api.post(reverse("intake_api:referral-list"), REFERRAL, content_type="application/json").json()["id"]
    assert [r.pk for r in as_worker.get(reverse("intake:referrals")).context["referrals"]] == [referral_id]
    assert as_worker.get(reverse("cases:werkbak")).context["referrals"] == 1
    assert list(as_outsider.get(reverse("intake:referrals")).context["referrals"]) == []
    assert as_outsider.get(reverse("intake:referral", args=[referral_id])).status_code == 404
    response = as_worker.post(reverse("intake:referral", args=[referral_id]), {"close": "1", "note": ""})
    assert response.status_code == 400
    as_worker.post(reverse("intake:referral", args=[referral_id]), {"close": "1", "note": "Advies gegeven"})
    assert Referral.objects.get().status == ReferralStatus.CLOSED and not Case.objects.exists()


def test_inbox_query_count(world, practice, as_worker, django_assert_max_num_queries):
    from intake.services import referral_submit

    for n in range(15):
        referral_submit(
            municipality=world.municipality,
            source="partner",
            organisation=practice,
            name=f"N{n}",
            concern="Zorg",
            postcode="8921AB",
            client_reference=f"r{n}",
        )
    with django_assert_max_num_queries(8):
        response = as_worker.get(reverse("intake:referrals"))
    assert len(response.context["referrals"]) == 15


def test_bekendheidsvraag_answers_yes_or_no_and_the_team_sees_who_asked(world, api, gp, as_worker):
    household = household_in(world.area_a, bsn=valid_bsn(7), geslachtsnaam="Kramer", birth_date="1980-05-01")
    resident = household.members.get().resident
    url = reverse("intake_api:known-query")
    ask = {"bsn": valid_bsn(7), "purpose": "Huurachterstand"}
    assert api.post(url, ask, content_type="application/json").json() == {"known": False}
    CaseFactory(team=world.team_a, household=household, resident=resident)
    assert api.post(url, ask, content_type="application/json").json() == {"known": True}
    response = login(gp).post(reverse("intake:known_query"), ask)
    assert response.context["answer"].known is True
    assert "Kramer" not in response.content.decode()  # the answer, not the household
    assert api.post(url, {"purpose": "x"}, content_type="application/json").status_code == 400
    assert KnownQuery.objects.count() == 3
    # Each question about a known household is in the access log, so the resident's report shows it.
    logged = AccessLog.objects.filter(purpose="known_query")
    assert logged.count() == 3 and logged.filter(household_id=household.pk).count() == 2
    page = as_worker.get(reverse("intake:known_queries"))
    html = page.content.decode()
    assert "Huisarts Huizum" in html and str(gp) in html and "Huurachterstand" in html
    assert login(world.policy).get(reverse("intake:known_queries")).status_code == 403
    assert as_worker.get(reverse("intake:known_query")).status_code == 403


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Wietse Stofzuiger", ("Wietse", "", "Stofzuiger")),
        ("Jan Pieter van der Berg", ("Jan Pieter", "van der", "Berg")),
        ("Familie de Jong", ("", "de", "Jong")),
        ("mevrouw Bakker", ("", "", "Bakker")),
        ("Berg, Jan van der", ("Jan", "van der", "Berg")),
        ("Ingrid van der Meiden-de Vries", ("Ingrid", "van der", "Meiden-de Vries")),
        ("Bosma", ("", "", "Bosma")),
    ],
)
def test_the_names_a_referrer_typed_become_the_new_residents_names(name, parts):
    from intake.forms import name_parts

    found = name_parts(name)
    assert (found["new_voornamen"], found["new_voorvoegsel"], found["new_geslachtsnaam"]) == parts


def test_taking_up_a_referral_starts_from_the_names_the_gp_gave(world, api, as_worker):
    data = {**REFERRAL, "name": "Jan van der Berg", "birth_date": "1961-04-02"}
    referral_id = api.post(reverse("intake_api:referral-list"), data, content_type="application/json").json()["id"]
    form = as_worker.get(reverse("intake:referral", args=[referral_id])).context["take_form"]
    assert [form[f].value() for f in ("new_voornamen", "new_voorvoegsel", "new_geslachtsnaam")] == [
        "Jan",
        "van der",
        "Berg",
    ]
    assert str(form["new_birth_date"].value()) == "1961-04-02" and form["new_postcode"].value() == "8921AB"
