"""The bekendheidsvraag must not be an oracle (issue 18, item 4): 60 calls with random BSNs in
8.7 seconds were all answered, a surname with a date of birth alone answered "known", and the
questions of a partner system never showed in the privacy officer's review."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import MunicipalityFactory
from cases.factories import CaseFactory
from conftest import login
from e2e.clock import env_at_our_moment
from intake import services
from intake.models import KnownQuery, PartnerToken, Referral, ReferralSource
from partners.factories import OrganisationFactory
from people.factories import household_in, valid_bsn

pytestmark = pytest.mark.django_db

URL = "/api/v1/bekendheidsvraag/"


@pytest.fixture
def practice(world):
    return OrganisationFactory(municipality=world.municipality, name="Huisarts Huizum")


def _key(organisation) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {PartnerToken.issue(organisation=organisation, name='HIS')[1]}")


def _ask(client: Client, bsn: str, **extra):
    return client.post(URL, json.dumps({"bsn": bsn, "purpose": "Zorgen om het gezin", **extra}), "application/json")


def test_a_surname_and_birth_date_no_longer_answer(world, practice):
    household = household_in(world.area_a, bsn=valid_bsn(3), geslachtsnaam="Kramer", birth_date="1980-05-01")
    CaseFactory(team=world.team_a, household=household, resident=household.members.get().resident)
    api = _key(practice)
    response = api.post(
        URL,
        json.dumps({"geslachtsnaam": "Kramer", "birth_date": "1980-05-01", "purpose": "Zorgen"}),
        "application/json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["bsn"]
    referrer = UserFactory(role=Role.REFERRER, municipality=world.municipality, organisation=practice)
    form = login(referrer).post(
        reverse("intake:known_query"), {"geslachtsnaam": "Kramer", "birth_date": "1980-05-01", "purpose": "Zorgen"}
    )
    assert form.status_code == 400 and form.context["answer"] is None
    assert not KnownQuery.objects.exists()
    assert _ask(api, valid_bsn(3)).json() == {"known": True}


def test_a_partner_key_is_throttled_and_another_is_not(world, practice):
    api, other = _key(practice), _key(OrganisationFactory(municipality=world.municipality, name="Politie"))
    answers = [_ask(api, valid_bsn(n)).status_code for n in range(services.KNOWN_QUERY_LIMIT + 5)]
    assert answers == [200] * services.KNOWN_QUERY_LIMIT + [429] * 5
    refused = _ask(api, valid_bsn(99))
    assert refused["Content-Type"] == "application/problem+json" and int(refused["Retry-After"]) > 0
    assert KnownQuery.objects.count() == services.KNOWN_QUERY_LIMIT  # the refused ones got no answer
    assert _ask(other, valid_bsn(1)).status_code == 200


def test_the_website_form_is_throttled_per_referrer(world, practice):
    client = login(UserFactory(role=Role.REFERRER, municipality=world.municipality, organisation=practice))
    url = reverse("intake:known_query")
    for n in range(services.KNOWN_QUERY_LIMIT):
        assert client.post(url, {"bsn": valid_bsn(n), "purpose": "Zorgen"}).status_code == 200
    response = client.post(url, {"bsn": valid_bsn(50), "purpose": "Zorgen"})
    assert response.status_code == 429 and "te veel" in response.content.decode()


def test_the_count_is_shared_by_every_process(world, practice):
    """Another process (a second application worker) uses up the key's questions in the shared
    cache (Redis); this process then refuses the next one."""
    token, key = PartnerToken.issue(organisation=practice, name="HIS")
    script = (
        "from e2e.clock import start_from_env; start_from_env()\n"  # on the run's clock, if it has a fixed one
        "import django; django.setup()\n"
        "from intake import services\n"
        f"print(sum(services.known_query_allowed('key:{token.pk}') for _ in range({services.KNOWN_QUERY_LIMIT})))\n"
    )
    env = {
        **env_at_our_moment(dict(os.environ)),
        "DJANGO_SETTINGS_MODULE": "wijkteam.settings",
        "WIJKTEAM_ENV": "development",  # not "test": that would give the process keys of its own
        "WIJKTEAM_CACHE_PREFIX": settings.CACHE_KEY_PREFIX,
        "WIJKTEAM_REDIS_URL": settings.REDIS_URL,
        "PYTHONPATH": os.pathsep.join([str(settings.SRC_DIR), str(settings.BASE_DIR)]),
    }
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own script
    assert done.stdout.strip() == str(services.KNOWN_QUERY_LIMIT)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
        URL, json.dumps({"bsn": valid_bsn(1), "purpose": "Zorgen"}), "application/json"
    )
    assert response.status_code == 429


def test_the_privacy_officer_sees_every_organisations_questions_and_who_asks_far_more(world, practice):
    api = _key(practice)
    for n in range(12):
        _ask(api, valid_bsn(n))
    Referral.objects.create(
        municipality=world.municipality,
        source=ReferralSource.PARTNER,
        organisation=practice,
        name="Familie de Jong",
        concern="Schulden",
    )
    police = OrganisationFactory(municipality=world.municipality, name="Politie Leeuwarden")
    referrer = UserFactory(role=Role.REFERRER, municipality=world.municipality, organisation=police)
    login(referrer).post(reverse("intake:known_query"), {"bsn": valid_bsn(1), "purpose": "Overlast"})
    officer = login(UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality))
    page = officer.get(reverse("privacy:review"))
    rows = {str(p.organisation): p for p in page.context["partners"]}
    assert (rows["Huisarts Huizum"].questions, rows["Huisarts Huizum"].via_api, rows["Huisarts Huizum"].referrals) == (
        12,
        12,
        1,
    )
    assert rows["Huisarts Huizum"].marked and not rows["Politie Leeuwarden"].marked
    assert str(page.context["partners"][0].organisation) == "Huisarts Huizum"  # marked first
    assert "Vraagt veel vaker dan het verwijst" in page.content.decode()
    report = officer.get(reverse("privacy:review"), {"formaat": "csv"})
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert any(row[1] == "Huisarts Huizum" and "12" in row[0] for row in rows)
    assert not any(row[1] == "Politie Leeuwarden" for row in rows)
    # another municipality's officer sees none of it
    helmond = MunicipalityFactory(cbs_code="GM0794", name="Helmond")
    other = login(UserFactory(role=Role.PRIVACY_OFFICER, municipality=helmond))
    assert other.get(reverse("privacy:review")).context["partners"] == []
