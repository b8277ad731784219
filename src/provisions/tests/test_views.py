"""The social map in the browser: search by need and area, referral from a case with a follow-up,
the public page for residents, providers with contracts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from maatwerk.factories import customised_provision
from provisions.factories import ProvisionFactory
from provisions.models import ProvisionKind, ProvisionReferral, ReferralOutcome
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    finance = LifeDomain.objects.get(code="financien")
    spreekuur = ProvisionFactory(
        municipality=world.municipality, name="Schuldhulp-spreekuur Huizum", life_domains=[finance], phone="058 1"
    )
    spreekuur.areas.set([world.area_a])
    ProvisionFactory(municipality=world.municipality, name="Buurthuis Goutum").areas.set([world.area_b])
    traplift = customised_provision(world.municipality, name="Traplift", category="13", unit="82", price="6850")
    return spreekuur, traplift


def test_search_by_need_and_area(world, catalogue, django_assert_max_num_queries):
    spreekuur, traplift = catalogue
    for n in range(8):
        ProvisionFactory(
            municipality=world.municipality, name=f"Inloop {n}", life_domains=[spreekuur.life_domains.get()]
        )
    client = login(world.worker)
    finance = LifeDomain.objects.get(code="financien")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("provisions:social_map"), {"domain": finance.pk, "area": world.area_a.pk})
    page = response.content.decode()
    assert "Schuldhulp-spreekuur Huizum" in page and "Inloop 7" in page
    assert "Buurthuis Goutum" not in page
    page = client.get(reverse("provisions:social_map"), {"area": world.area_b.pk}).content.decode()
    assert "Buurthuis Goutum" in page and "Schuldhulp-spreekuur" not in page
    # Customised provisions show their contracted providers with AGB code.
    page = client.get(reverse("provisions:social_map"), {"q": "traplift"}).content.decode()
    assert traplift.providers.get().agb_code in page


def test_refer_from_a_case_with_a_follow_up(world, catalogue):
    spreekuur, traplift = catalogue
    case = CaseFactory(team=world.team_a)
    client = login(world.worker)
    page = client.get(reverse("provisions:social_map"), {"zaak": case.pk}).content.decode()
    assert reverse("provisions:refer", kwargs={"case_pk": case.pk, "provision_pk": spreekuur.pk}) in page
    assert reverse("maatwerk:case", kwargs={"case_pk": case.pk}) in page  # the stairlift needs an advice
    url = reverse("provisions:refer", kwargs={"case_pk": case.pk, "provision_pk": spreekuur.pk})
    follow_up = timezone.localdate() + timedelta(days=21)
    response = client.post(url, {"note": "Warm overgedragen aan Anna van het spreekuur.", "follow_up_on": follow_up})
    assert response.status_code == 302
    referral = ProvisionReferral.objects.get()
    assert (referral.case, referral.follow_up_on) == (case, follow_up)
    assert "Schuldhulp-spreekuur Huizum" in client.get(reverse("provisions:follow_ups")).content.decode()
    response = client.post(reverse("provisions:outcome", kwargs={"pk": referral.pk}), {"outcome": "geholpen"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.WORKED
    assert case.events.filter(kind="provision_referral_outcome").exists()
    # A customised provision cannot be referred to.
    traplift_url = reverse("provisions:refer", kwargs={"case_pk": case.pk, "provision_pk": traplift.pk})
    assert client.get(traplift_url).status_code == 404


def test_someone_else_gets_404(world, catalogue):
    spreekuur, _traplift = catalogue
    case = CaseFactory(team=world.team_a)
    outsider = login(world.outsider)
    assert outsider.get(reverse("provisions:social_map"), {"zaak": case.pk}).status_code == 404
    url = reverse("provisions:refer", kwargs={"case_pk": case.pk, "provision_pk": spreekuur.pk})
    assert outsider.get(url).status_code == 404
    referral = ProvisionReferral.objects.create(
        provision=spreekuur, case=case, resident=case.resident, by=world.worker
    )
    response = outsider.post(reverse("provisions:outcome", kwargs={"pk": referral.pk}), {"outcome": "geholpen"})
    assert response.status_code == 404
    assert case.resident.geslachtsnaam not in outsider.get(reverse("provisions:follow_ups")).content.decode()


def test_the_outcome_goes_into_the_dossier_of_who_referred_or_may_open_it(world, catalogue):
    spreekuur, _traplift = catalogue
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    referral = ProvisionReferral.objects.create(
        provision=spreekuur, case=case, resident=case.resident, by=world.worker
    )
    url = reverse("provisions:outcome", kwargs={"pk": referral.pk})
    # A team member who is not on the case sees its card, and nothing is recorded.
    assert login(world.colleague).post(url, {"outcome": "geholpen"}).status_code == 403
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING
    # Who referred answers the follow-up question, also when no longer on the case.
    case.regisseur = world.colleague
    case.save()
    assert login(world.worker).post(url, {"outcome": "geholpen"}).status_code == 302
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.WORKED


def test_public_page_shows_general_provisions_without_signing_in(world, catalogue):
    response = Client().get(reverse("provisions:public"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Schuldhulp-spreekuur Huizum" in page and "Buurthuis Goutum" in page
    assert "Traplift" not in page
    response = Client().get(reverse("provisions:public"), {"kind": ProvisionKind.MAATWERK})
    assert "Traplift" not in response.content.decode()


def test_providers_with_agb_code_and_contracts(world, catalogue, django_assert_max_num_queries):
    _spreekuur, traplift = catalogue
    for n in range(5):
        customised_provision(world.municipality, name=f"Product {n}", providers=2)
    client = login(world.worker)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("provisions:providers")).content.decode()
    provider = traplift.providers.get()
    assert provider.name in page and provider.agb_code in page and "Traplift" in page
