import pytest
from django.core.exceptions import ValidationError

from cases.factories import CaseFactory
from provisions.factories import ProvisionFactory
from provisions.models import ProvisionKind
from provisions.services import provision_refer, provision_search
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


def test_search_by_need_and_area(world):
    finance = LifeDomain.objects.get(code="financien")
    network = LifeDomain.objects.get(code="sociaal-netwerk")
    spreekuur = ProvisionFactory(
        municipality=world.municipality, name="Schuldhulp-spreekuur", life_domains=[finance], description="Post"
    )
    spreekuur.areas.set([world.area_a])
    citywide = ProvisionFactory(municipality=world.municipality, name="Thuisadministratie", life_domains=[finance])
    ProvisionFactory(municipality=world.municipality, name="Buurthuis", life_domains=[network])
    found = provision_search(municipality=world.municipality, life_domains=[finance], area=world.area_b)
    assert list(found) == [citywide]
    found = provision_search(municipality=world.municipality, life_domains=[finance], area=world.area_a)
    assert set(found) == {spreekuur, citywide}
    assert list(provision_search(municipality=world.municipality, text="Schuldhulp")) == [spreekuur]


def test_refer_a_case_to_a_general_provision_writes_history(world):
    case = CaseFactory(team=world.team_a)
    provision = ProvisionFactory(municipality=world.municipality, name="Buurthuis De Zwette")
    referral = provision_refer(provision=provision, case=case, by=world.worker, note="Warm overgedragen aan Anna")
    assert referral.resident == case.resident
    event = case.events.get(kind="provision_referral")
    assert event.text == "Verwezen naar Buurthuis De Zwette"


def test_customised_provisions_need_a_decision_not_a_referral(world):
    case = CaseFactory(team=world.team_a)
    traplift = ProvisionFactory(municipality=world.municipality, kind=ProvisionKind.MAATWERK)
    with pytest.raises(ValidationError):
        provision_refer(provision=traplift, case=case, by=world.worker)
