"""Partner API keys: the functional administrator issues, lists and revokes them (issue 18). A key
is shown once and stored as a hash; who issued and who revoked it, and when, stay with it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import MunicipalityFactory
from conftest import login
from intake.models import PartnerToken, hash_token
from partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/verwijzingen/"


@pytest.fixture
def admin(world):
    return UserFactory(
        role=Role.ADMINISTRATOR, municipality=world.municipality, first_name="Femke", last_name="Beheer"
    )


@pytest.fixture
def practice(world):
    return OrganisationFactory(municipality=world.municipality, name="Huisarts Huizum")


def _issue(client, practice, name="HIS Medicom"):
    return client.post(reverse("intake:partner_keys"), {"organisation": practice.pk, "name": name})


def test_a_key_is_shown_once_stored_as_a_hash_and_works(world, admin, practice):
    client = login(admin)
    response = _issue(client, practice)
    assert response.status_code == 201
    _token, key = response.context["issued"]
    page = response.content.decode()
    assert key in page and "niet opnieuw getoond" in page
    stored = PartnerToken.objects.get()
    assert stored.key_hash == hash_token(key) and key not in {stored.key_hash, stored.prefix, stored.name}
    assert (stored.issued_by, stored.prefix) == (admin, key[:8])
    assert key not in client.get(reverse("intake:partner_keys")).content.decode()  # once
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(URL).status_code == 200


def test_revoking_refuses_the_key_at_once_and_keeps_who_and_when(world, admin, practice):
    client = login(admin)
    token, key = _issue(client, practice).context["issued"]
    response = client.post(reverse("intake:partner_key_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin and token.revoked_at is not None
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(URL).status_code == 401
    page = client.get(reverse("intake:partner_keys")).content.decode()
    assert "Femke Beheer" in page and token.prefix in page  # issued and revoked by, in the history
    again = client.post(reverse("intake:partner_key_revoke", args=[token.pk]), follow=True)
    assert "al ingetrokken" in again.content.decode()


def test_a_key_needs_a_system_name_and_an_organisation_of_the_municipality(world, admin):
    client = login(admin)
    other = OrganisationFactory(municipality=MunicipalityFactory(cbs_code="GM0794", name="Helmond"))
    assert _issue(client, other).status_code == 400
    assert client.post(reverse("intake:partner_keys"), {"organisation": "", "name": "HIS"}).status_code == 400
    assert not PartnerToken.objects.exists()


def test_another_municipalitys_key_is_404(world, admin):
    helmond = MunicipalityFactory(cbs_code="GM0794", name="Helmond")
    token, _key = PartnerToken.issue(organisation=OrganisationFactory(municipality=helmond), name="HIS")
    assert login(admin).post(reverse("intake:partner_key_revoke", args=[token.pk])).status_code == 404
    assert token.organisation.name not in login(admin).get(reverse("intake:partner_keys")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_get_403(world, practice, role):
    token, _key = PartnerToken.issue(organisation=practice, name="HIS")
    client = login(UserFactory(role=role, municipality=world.municipality, organisation=practice))
    assert client.get(reverse("intake:partner_keys")).status_code == 403
    assert _issue(client, practice).status_code == 403
    assert client.post(reverse("intake:partner_key_revoke", args=[token.pk])).status_code == 403
    assert PartnerToken.objects.count() == 1 and PartnerToken.objects.get().revoked_at is None


def test_the_list_of_keys_costs_the_same_queries_for_more_keys(world, admin, practice, django_assert_max_num_queries):
    client = login(admin)
    for n in range(3):
        PartnerToken.issue(organisation=practice, name=f"HIS {n}", issued_by=admin)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("intake:partner_keys"))
    for n in range(20):
        PartnerToken.issue(organisation=OrganisationFactory(municipality=world.municipality), name=f"X{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("intake:partner_keys"))
