"""Through the browser: advice on a case, decision by the beschikker, the WMO301 download, the
315 upload, cost figures; and who may not see them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from lxml import etree

from areas.factories import MunicipalityFactory
from cases.factories import CaseFactory
from conftest import login
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import AdviceStatus, Allocation, AllocationRequest, Budget, IndicationAdvice
from maatwerk.services import decision_make
from people.factories import household_in, valid_bsn
from privacy.models import AccessLog, Action
from wijkteam.reference import data_path

from .test_services import official_schema

pytestmark = pytest.mark.django_db


def case_for(world, n: int = 1):
    return CaseFactory(team=world.team_a, household=household_in(world.area_a, bsn=valid_bsn(n)))


def wmo315(*, agb: str, municipality: str, bsn: str, message_id: str = "315000000001", category: str = "02") -> bytes:
    today = timezone.localdate().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<wmo315:Bericht xmlns:iwmo="http://www.istandaarden.nl/iwmo/3_2/basisschema/schema"
    xmlns:wmo315="http://www.istandaarden.nl/iwmo/3_2/wmo315/schema">
  <wmo315:Header>
    <wmo315:BerichtCode>444</wmo315:BerichtCode>
    <wmo315:BerichtVersie>3</wmo315:BerichtVersie>
    <wmo315:BerichtSubversie>2</wmo315:BerichtSubversie>
    <wmo315:Afzender>{agb}</wmo315:Afzender>
    <wmo315:Ontvanger>{municipality}</wmo315:Ontvanger>
    <wmo315:BerichtIdentificatie>
      <iwmo:Identificatie>{message_id}</iwmo:Identificatie>
      <iwmo:Dagtekening>{today}</iwmo:Dagtekening>
    </wmo315:BerichtIdentificatie>
    <wmo315:XsdVersie>
      <iwmo:BasisschemaXsdVersie>1.0.0</iwmo:BasisschemaXsdVersie>
      <iwmo:BerichtXsdVersie>1.0.0</iwmo:BerichtXsdVersie>
    </wmo315:XsdVersie>
  </wmo315:Header>
  <wmo315:Client>
    <wmo315:Bsn>{bsn}</wmo315:Bsn>
    <wmo315:Geboortedatum><iwmo:Datum>1950-03-04</iwmo:Datum></wmo315:Geboortedatum>
    <wmo315:Geslacht>2</wmo315:Geslacht>
    <wmo315:Naam>
      <iwmo:Geslachtsnaam><iwmo:Achternaam>Hoekstra</iwmo:Achternaam></iwmo:Geslachtsnaam>
      <iwmo:Voorletters>A</iwmo:Voorletters>
    </wmo315:Naam>
    <wmo315:AangevraagdeProducten>
      <wmo315:AangevraagdProduct>
        <wmo315:ReferentieAanbieder>REF-1</wmo315:ReferentieAanbieder>
        <wmo315:Product><iwmo:Categorie>{category}</iwmo:Categorie></wmo315:Product>
        <wmo315:ToewijzingIngangsdatum>{today}</wmo315:ToewijzingIngangsdatum>
        <wmo315:Omvang><iwmo:Volume>4</iwmo:Volume><iwmo:Eenheid>04</iwmo:Eenheid><iwmo:Frequentie>2</iwmo:Frequentie></wmo315:Omvang>
        <wmo315:Verwijzer><iwmo:Type>02</iwmo:Type><iwmo:Naam>Huisarts Huizum</iwmo:Naam></wmo315:Verwijzer>
      </wmo315:AangevraagdProduct>
    </wmo315:AangevraagdeProducten>
  </wmo315:Client>
</wmo315:Bericht>
""".encode()


def test_the_sample_315_is_valid_for_the_official_schema():
    content = wmo315(agb="75750001", municipality="0080", bsn="999993653")
    assert official_schema("WMO315").validate(etree.ElementTree(etree.fromstring(content)))


def test_worker_writes_an_advice_in_the_browser(world):
    provision = customised_provision(world.municipality)
    case = case_for(world)
    client = login(world.worker)
    url = reverse("maatwerk:case", kwargs={"case_pk": case.pk})
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "provision": provision.pk,
            "volume": 3,
            "frequency": "2",
            "starts_on": today.isoformat(),
            "delivery_form": "natura",
            "preferred_provider": provision.providers.first().pk,
            "grounds": "Kan niet meer stofzuigen; dochter woont in Groningen.",
            "aanvraag_date": today.isoformat(),
        },
    )
    assert response.status_code == 302
    advice = IndicationAdvice.objects.get()
    assert advice.written_by == world.worker
    page = client.get(url).content.decode()
    assert provision.name in page


def test_refused_advice_form_shows_errors(world):
    customised_provision(world.municipality)
    case = case_for(world)
    response = login(world.worker).post(reverse("maatwerk:case", kwargs={"case_pk": case.pk}), {"volume": "0"})
    assert response.status_code == 200
    assert not IndicationAdvice.objects.exists()
    assert 'aria-invalid="true"' in response.content.decode()


def test_someone_else_gets_404(world):
    provision = customised_provision(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    decision_make(advice=advice, by=beschikker_of(world.municipality), outcome="toegekend", grounds="Ja")
    allocation = Allocation.objects.get()
    other_beschikker = beschikker_of(MunicipalityFactory(cbs_code="GM0794", name="Helmond"))
    for user in (world.outsider, other_beschikker):
        client = login(user)
        assert client.get(reverse("maatwerk:advice", kwargs={"pk": advice.pk})).status_code == 404
        assert client.get(reverse("maatwerk:allocation_xml", kwargs={"pk": allocation.pk})).status_code == 404
    assert login(world.outsider).get(reverse("maatwerk:case", kwargs={"case_pk": advice.case_id})).status_code == 404
    # The policy officer has no use for dossiers at all.
    assert login(world.policy).get(reverse("maatwerk:advice", kwargs={"pk": advice.pk})).status_code == 403
    assert login(world.worker).get(reverse("maatwerk:worklist")).status_code == 403


def test_a_team_member_not_on_the_case_does_not_download_the_allocation(world):
    """The WMO301 holds the resident's BSN: the dossier rule applies, with the minimal card."""
    provision = customised_provision(world.municipality)
    household = household_in(world.area_a, bsn=valid_bsn(3))
    case = CaseFactory(team=world.team_a, regisseur=world.worker, household=household)
    advice = IndicationAdviceFactory(case=case, provision=provision)
    decision_make(advice=advice, by=beschikker_of(world.municipality), outcome="toegekend", grounds="Ja")
    url = reverse("maatwerk:allocation_xml", kwargs={"pk": Allocation.objects.get().pk})
    response = login(world.colleague).get(url)
    assert response.status_code == 403
    assert case.resident.bsn.encode() not in response.content
    assert AccessLog.objects.filter(user=world.colleague, case_id=case.pk, detail="minimal card").exists()
    assert not AccessLog.objects.filter(user=world.colleague, action=Action.EXPORT).exists()
    assert login(world.worker).get(url).status_code == 200


def test_beschikker_decides_and_downloads_a_valid_wmo301(world):
    provision = customised_provision(world.municipality, providers=2)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    beschikker = beschikker_of(world.municipality)
    client = login(beschikker)
    assert client.get(reverse("home")).url == reverse("maatwerk:worklist")
    url = reverse("maatwerk:advice", kwargs={"pk": advice.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert advice.resident.display_name in page.content.decode()
    response = client.post(
        url,
        {
            "outcome": "toegekend",
            "grounds": "Hulp bij het huishouden is nodig; het netwerk kan het niet overnemen.",
            "volume": 2,
            "frequency": "2",
            "starts_on": advice.starts_on.isoformat(),
            "ends_on": (advice.starts_on + timedelta(days=180)).isoformat(),
            "delivery_form": "natura",
            "provider": advice.preferred_provider.pk,
        },
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.GRANTED
    allocation = Allocation.objects.get()
    download = client.get(reverse("maatwerk:allocation_xml", kwargs={"pk": allocation.pk}))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/xml")
    assert official_schema("WMO301").validate(etree.ElementTree(etree.fromstring(download.content)))
    assert AccessLog.objects.filter(user=beschikker, action=Action.EXPORT, case_id=advice.case_id).exists()
    # The team sees the decision on its case and may download the message too.
    team_page = login(world.worker).get(reverse("maatwerk:case", kwargs={"case_pk": advice.case_id})).content.decode()
    assert "Toegekend" in team_page


def test_refusal_through_the_browser_needs_grounds(world):
    provision = customised_provision(world.municipality)
    advice = IndicationAdviceFactory(case=case_for(world), provision=provision)
    client = login(beschikker_of(world.municipality))
    url = reverse("maatwerk:advice", kwargs={"pk": advice.pk})
    assert client.post(url, {"outcome": "afgewezen", "grounds": "", "delivery_form": "natura"}).status_code == 200
    advice.refresh_from_db()
    assert advice.is_open
    response = client.post(
        url, {"outcome": "afgewezen", "grounds": "Maaltijdservice volstaat.", "delivery_form": "natura"}
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.status == AdviceStatus.REFUSED
    assert not Allocation.objects.exists()


def test_worklist_query_count_does_not_grow(world, django_assert_max_num_queries):
    provision = customised_provision(world.municipality)
    beschikker = beschikker_of(world.municipality)
    for n in range(12):
        IndicationAdviceFactory(case=case_for(world, n + 1), provision=provision)
    for advice in IndicationAdvice.objects.all()[:4]:
        decision_make(advice=advice, by=beschikker, outcome="toegekend", grounds="Ja")
    client = login(beschikker)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("maatwerk:worklist"))
    assert response.content.decode().count(reverse("maatwerk:advice", kwargs={"pk": 1})[:-2]) >= 12
    with django_assert_max_num_queries(8):
        response = client.get(reverse("maatwerk:allocations"), {"aanbieder": provision.providers.first().pk})
    assert response.content.decode().count("bericht.xml") == 4


def test_invalid_315_is_refused_in_plain_words_and_nothing_is_stored(world):
    client = login(beschikker_of(world.municipality))
    bad = wmo315(agb="7575", municipality=world.municipality.code, bsn="12345", category="99")
    url = reverse("maatwerk:messages")
    response = client.post(url, {"message": SimpleUploadedFile("v.xml", bad, "text/xml")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "niets opgeslagen" in page
    assert "WMO315 (verzoek om toewijzing)" in page
    assert "Afzender" in page and "Bsn" in page and "Categorie" in page
    assert escape("'99' is geen code uit de codelijst") in page
    assert "{http" not in page  # no namespaces, no lxml jargon
    not_xml = client.post(url, {"message": SimpleUploadedFile("v.xml", b"hallo", "text/xml")})
    assert not_xml.status_code == 400
    assert "geen leesbare XML" in not_xml.content.decode()
    jw301 = data_path("istandaarden", "voorbeelden", "JW301.xml").read_bytes()
    wrong_kind = client.post(url, {"message": SimpleUploadedFile("v.xml", jw301, "text/xml")})
    assert wrong_kind.status_code == 400
    assert "JW301 (toewijzing)" in wrong_kind.content.decode()
    assert "verstuurt de gemeente zelf" in wrong_kind.content.decode()
    assert not AllocationRequest.objects.exists()


def test_cost_figures_against_budget_without_personal_data(world, django_assert_max_num_queries):
    provision = customised_provision(world.municipality, price="31.50")
    stairlift = customised_provision(world.municipality, category="13", unit="82", price="6850.00")
    beschikker = beschikker_of(world.municipality)
    year = timezone.localdate().year
    Budget.objects.create(municipality=world.municipality, year=year, provision=provision, amount=1000)
    Budget.objects.create(municipality=world.municipality, year=year, provision=None, amount=50000)
    start = timezone.localdate().replace(month=1, day=1)
    for n in range(6):
        advice = IndicationAdviceFactory(
            case=case_for(world, n + 1),
            provision=provision,
            requested_provision=stairlift if n == 0 else None,
            starts_on=start,
            ends_on=start + timedelta(days=6),
            volume=2,
            frequency="2",
        )
        decision_make(advice=advice, by=beschikker, outcome="toegekend", grounds="Ja")
        # A surname found nowhere else on the page (a random one may be the signed-in user's).
        advice.resident.geslachtsnaam = f"Oosterzeeloo-{n}"
        advice.resident.save(update_fields=["geslachtsnaam"])
    # The beschikker takes these decisions: exact figures. Realised costs from the real delivery and the
    # accepted declarations add a query each.
    client = login(beschikker)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("maatwerk:costs"), {"year": year})
    page = response.content.decode()
    assert response.status_code == 200
    # Six decisions of one week, 2 hours at EUR 31.50: 6 x 63.00 = 378.00 of a budget of 1000.
    assert "€ 378<" in page and "€ 1.000<" in page and "€ 622<" in page
    # The stairlift that was asked for would have cost 6850.00: 6787.00 avoided.
    assert "€ 6.787<" in page
    # The policy officer: six decisions are below the municipality's threshold, so the count reads
    # "< 10" like every policy figure, and their cost is not shown either (it would be as telling).
    client = login(world.policy)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("maatwerk:costs"), {"year": year})
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt; 10" in page and ">6<" not in page
    assert "€ 378" not in page and "€ 622" not in page and "€ 6.787" not in page
    assert "€ 1.000<" in page  # the budget is public
    assert world.area_a.name in page and escape(world.team_a.name) in page
    assert all(advice.resident.geslachtsnaam not in page for advice in IndicationAdvice.objects.all())
    assert login(world.worker).get(reverse("maatwerk:costs")).status_code == 403
