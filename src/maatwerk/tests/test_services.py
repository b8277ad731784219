"""From indication advice to decision to a WMO301/JW301 that the official XSD accepts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from areas.models import ProcurementModel
from cases.factories import CaseFactory
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import AdviceStatus, Allocation, Decision, DecisionOutcome, DeliveryForm, expected_cost
from maatwerk.services import Grant, advice_submit, decision_make
from people.factories import household_in, valid_bsn
from wijkteam.reference import data_path

pytestmark = pytest.mark.django_db


def official_schema(kind: str) -> etree.XMLSchema:
    standard = "jw" if kind.startswith("JW") else "wmo"
    return etree.XMLSchema(etree.parse(str(data_path("istandaarden", standard, f"{kind}.xsd"))))


def case_for(world, n: int = 1, **resident):
    household = household_in(world.area_a, bsn=valid_bsn(n), **resident)
    return CaseFactory(team=world.team_a, household=household)


def test_advice_starts_the_two_week_term_and_writes_history(world):
    provision = customised_provision(world.municipality)
    case = case_for(world)
    advice = advice_submit(
        case=case,
        by=world.worker,
        provision=provision,
        volume=3,
        frequency="2",
        starts_on=date(2026, 12, 1),
        grounds="Kan niet meer stofzuigen en dweilen.",
        aanvraag_date=date(2026, 11, 20),  # a Friday: two weeks later is Friday 4 December
        preferred_provider=provision.providers.first(),
    )
    assert advice.decision_due == date(2026, 12, 4)
    assert advice.status == AdviceStatus.SUBMITTED
    assert advice.unit == "04"
    assert case.events.get(kind="indication_advice").text.startswith("Indicatieadvies voor")


def test_jeugdwet_advice_gets_eight_weeks(world):
    provision = customised_provision(world.municipality, category="45", framework="jeugdwet")
    advice = advice_submit(
        case=case_for(world),
        by=world.worker,
        provision=provision,
        volume=2,
        frequency="2",
        starts_on=date(2026, 12, 1),
        grounds="Gezinsbegeleiding nodig.",
        aanvraag_date=date(2026, 11, 23),
    )
    assert advice.decision_due == date(2027, 1, 18)


def test_the_team_cannot_decide_and_the_beschikker_cannot_advise(world):
    provision = customised_provision(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    with pytest.raises(ValidationError):
        decision_make(advice=advice, by=world.leader, outcome=DecisionOutcome.GRANTED, grounds="Akkoord")
    with pytest.raises(ValidationError):
        advice_submit(
            case=advice.case,
            by=beschikker_of(world.municipality),
            provision=provision,
            volume=1,
            frequency="2",
            starts_on=date(2026, 12, 1),
            grounds="x",
            aanvraag_date=date(2026, 11, 23),
        )


def test_grant_in_kind_makes_a_valid_wmo301_for_the_chosen_provider(world):
    provision = customised_provision(world.municipality, providers=2)
    chosen = provision.providers.order_by("pk").last()
    case = case_for(world, voorvoegsel="van der", geslachtsnaam="Meer")
    advice = IndicationAdviceFactory(case=case, provision=provision, preferred_provider=chosen)
    decision = decision_make(
        advice=advice, by=beschikker_of(world.municipality), outcome=DecisionOutcome.GRANTED, grounds="Past."
    )
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.GRANTED
    allocation = decision.allocation
    assert (allocation.kind, allocation.provider) == ("WMO301", chosen)
    document = etree.fromstring(allocation.xml.encode())
    assert official_schema("WMO301").validate(etree.ElementTree(document))
    ns = {
        "m": "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema",
        "b": "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
    }
    assert document.findtext("m:Header/m:Ontvanger", namespaces=ns) == chosen.agb_code
    assert document.findtext("m:Header/m:Afzender", namespaces=ns) == world.municipality.code
    assert document.findtext("m:Client/m:Bsn", namespaces=ns) == case.resident.bsn
    assert document.findtext("m:Client/m:Naam/b:Geslachtsnaam/b:Voorvoegsel", namespaces=ns) == "van der"
    product = document.find("m:Client/m:ToegewezenProducten/m:ToegewezenProduct", ns)
    assert product.findtext("m:ToewijzingNummer", namespaces=ns) == str(allocation.pk)
    assert product.findtext("m:Product/b:Categorie", namespaces=ns) == "01"
    assert product.findtext("m:Omvang/b:Volume", namespaces=ns) == "3"
    # Three hours a week at EUR 31.50 for an open-ended period counts one year.
    assert decision.expected_cost == expected_cost(
        volume=3, frequency="2", unit_price=Decimal("31.50"), starts_on=advice.starts_on, ends_on=None
    )
    assert decision.expected_cost == Decimal("4927.50")
    assert case.events.filter(kind="decision").exists()


def test_jeugdwet_grant_makes_a_valid_jw301(world):
    provision = customised_provision(world.municipality, category="45", framework="jeugdwet", price="86.40")
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    decision = decision_make(
        advice=advice, by=beschikker_of(world.municipality), outcome=DecisionOutcome.GRANTED, grounds="Nodig."
    )
    assert decision.allocation.kind == "JW301"
    assert official_schema("JW301").validate(etree.ElementTree(etree.fromstring(decision.allocation.xml.encode())))


def test_refusal_keeps_grounds_and_sends_nothing(world):
    provision = customised_provision(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    decision = decision_make(
        advice=advice,
        by=beschikker_of(world.municipality),
        outcome=DecisionOutcome.REFUSED,
        grounds="Een algemene voorziening (maaltijdservice) volstaat.",
    )
    assert decision.expected_cost == 0
    assert not Allocation.objects.exists()
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.REFUSED
    with pytest.raises(ValidationError, match="al besloten"):
        decision_make(advice=advice, by=decision.decided_by, outcome=DecisionOutcome.GRANTED, grounds="Toch wel")


def test_a_decision_needs_grounds(world):
    provision = customised_provision(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    with pytest.raises(ValidationError):
        decision_make(
            advice=advice, by=beschikker_of(world.municipality), outcome=DecisionOutcome.REFUSED, grounds=" "
        )


def test_pgb_is_granted_without_an_allocation_message(world):
    provision = customised_provision(world.municipality, category="02", price="58.20")
    advice = IndicationAdviceFactory(
        case=case_for(world), provision=provision, delivery_form=DeliveryForm.PGB, preferred_provider=None
    )
    decision = decision_make(
        advice=advice, by=beschikker_of(world.municipality), outcome=DecisionOutcome.GRANTED, grounds="PGB."
    )
    assert decision.provider is None
    assert not Allocation.objects.exists()
    assert decision.expected_cost > 0


def test_keuzemodel_needs_the_residents_choice_consortium_takes_the_one_provider(world):
    provision = customised_provision(world.municipality, providers=2)
    beschikker = beschikker_of(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world, 1), provision=provision, preferred_provider=None)
    with pytest.raises(ValidationError):
        decision_make(advice=advice, by=beschikker, outcome=DecisionOutcome.GRANTED, grounds="Ja")
    world.municipality.procurement_model = ProcurementModel.CONSORTIUM
    world.municipality.save()
    decision = decision_make(advice=advice, by=beschikker, outcome=DecisionOutcome.GRANTED, grounds="Ja")
    assert decision.provider == provision.providers.order_by("name").first()


def test_provider_without_contract_is_refused(world):
    provision = customised_provision(world.municipality)
    other = customised_provision(world.municipality).providers.first()
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    grant = Grant(
        volume=2, frequency="2", starts_on=timezone.localdate(), ends_on=None, delivery_form="natura", provider=other
    )
    with pytest.raises(ValidationError):
        decision_make(
            advice=advice, by=beschikker_of(world.municipality), outcome="toegekend", grounds="Ja", grant=grant
        )
    assert not Decision.objects.exists()


def test_no_bsn_means_no_allocation_and_nothing_saved(world):
    provision = customised_provision(world.municipality)
    case = CaseFactory(team=world.team_a)  # a resident without a BSN
    advice = IndicationAdviceFactory(case=case, provision=provision)
    with pytest.raises(ValidationError, match="BSN"):
        decision_make(advice=advice, by=beschikker_of(world.municipality), outcome="toegekend", grounds="Ja")
    assert not Decision.objects.exists()
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.SUBMITTED


def test_long_street_names_and_odd_names_still_validate(world):
    provision = customised_provision(world.municipality)
    case = case_for(
        world,
        straat="Burgemeester van Harinxmastraat-Oost",
        voornamen="Ĳsbrand Åke",
        huisletter="b",
        huisnummertoevoeging="bis",
        partner_voorvoegsel="de",
        partner_geslachtsnaam="Vries",
        naamgebruik="V",
    )
    advice = IndicationAdviceFactory(case=case, provision=provision, ends_on=timezone.localdate() + timedelta(days=90))
    decision = decision_make(advice=advice, by=beschikker_of(world.municipality), outcome="toegekend", grounds="Ja")
    assert official_schema("WMO301").validate(etree.ElementTree(etree.fromstring(decision.allocation.xml.encode())))
