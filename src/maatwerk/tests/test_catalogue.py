"""Every customised provision of the demo catalogue, granted in kind, gives an allocation message
that the official iWmo/iJw 3.2 XSD accepts."""

import pytest
from lxml import etree

from accounts.factories import UserFactory
from accounts.models import Role
from areas.importers import import_municipality
from areas.models import Area
from cases.factories import CaseFactory
from demo.catalogue import PROVISIONS, build_catalogue
from maatwerk.factories import IndicationAdviceFactory, beschikker_of
from maatwerk.services import decision_make
from people.factories import household_in, valid_bsn
from provisions.models import Provision, ProvisionKind
from teams.factories import TeamFactory

from .test_services import official_schema

pytestmark = pytest.mark.django_db

NAMESPACES = {
    "WMO301": "http://www.istandaarden.nl/iwmo/3_2/wmo301/schema",
    "JW301": "http://www.istandaarden.nl/ijw/3_2/jw301/schema",
}


def test_every_product_category_of_the_demo_catalogue_validates():
    municipality, _report = import_municipality("GM0080")
    build_catalogue(municipality)
    area = Area.objects.get(cbs_code="WK008041")
    team = TeamFactory(municipality=municipality, name="Wijkteam Nijlân & Huizum", areas=[area])
    UserFactory(role=Role.SOCIAL_WORKER, municipality=municipality, teams=[team])
    beschikker = beschikker_of(municipality)
    customised = list(Provision.objects.filter(municipality=municipality, kind=ProvisionKind.MAATWERK))
    expected = {(row[7], row[6]) for row in PROVISIONS if row[1] == ProvisionKind.MAATWERK}
    assert {(p.product_category, p.framework.code) for p in customised} == expected
    assert {"wmo", "jeugdwet"} <= {framework for _category, framework in expected}
    seen = set()
    for n, provision in enumerate(customised, start=1):
        case = CaseFactory(team=team, household=household_in(area, bsn=valid_bsn(n)))
        advice = IndicationAdviceFactory(
            case=case, provision=provision, volume=1 if provision.unit == "82" else 4, frequency="6"
        )
        decision = decision_make(advice=advice, by=beschikker, outcome="toegekend", grounds="Past bij de vraag.")
        allocation = decision.allocation
        document = etree.fromstring(allocation.xml.encode())
        assert official_schema(allocation.kind).validate(etree.ElementTree(document)), allocation.kind
        ns = {"m": NAMESPACES[allocation.kind]}
        category = document.find(".//m:Product", ns)[0].text
        assert category == provision.product_category
        assert document.findtext("m:Header/m:Afzender", namespaces=ns) == "0080"
        seen.add((allocation.kind, category))
    assert {kind for kind, _category in seen} == {"WMO301", "JW301"}
    assert len(seen) == len(expected)
