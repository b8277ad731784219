"""The whole iWmo/iJw message cycle through the browser: each message type built to the XSD, run
through the cycle, and the answers the municipality makes validated against the official XSD."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.factories import CaseFactory
from conftest import login
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import (
    AdviceStatus,
    Allocation,
    AllocationRequest,
    DeclaredService,
    Direction,
    IndicationAdvice,
    Message,
    MessageStatus,
    RequestStatus,
    ResidentCheck,
)
from maatwerk.samples import change_317, declaration_323, delivery, is_valid, request_315, retour
from maatwerk.services import decision_make
from people.factories import household_in, valid_bsn
from privacy.models import AccessLog, Action
from provisions.models import Contract

pytestmark = pytest.mark.django_db


def upload(client, content: bytes, name: str = "bericht.xml"):
    return client.post(reverse("maatwerk:messages"), {"message": SimpleUploadedFile(name, content, "application/xml")})


def resident_case(world, n: int = 1, **resident):
    resident = {"geslachtsnaam": "Hoekstra", "birth_date": date(1950, 3, 4), **resident}
    household = household_in(world.area_a, bsn=valid_bsn(n), **resident)
    return CaseFactory(team=world.team_a, household=household)


def sent(kind: str) -> Message:
    return Message.objects.get(direction=Direction.OUT, kind=kind)


@pytest.fixture
def cycle(world):
    class Cycle:
        pass

    c = Cycle()
    c.world = world
    c.wmo = customised_provision(world.municipality, category="01", price="31.50")
    c.jw = customised_provision(world.municipality, category="45", framework="jeugdwet", price="86.40")
    c.provider = c.wmo.providers.first()
    c.jw_provider = c.jw.providers.first()
    c.beschikker = beschikker_of(world.municipality)
    c.client = login(c.beschikker)
    c.code = world.municipality.code
    return c


def granted_allocation(cycle, provision, case, **advice) -> Allocation:
    made = IndicationAdviceFactory(case=case, provision=provision, **advice)
    decision = decision_make(advice=made, by=cycle.beschikker, outcome="toegekend", grounds="Nodig.")
    return decision.allocation


@pytest.mark.parametrize("kind", ["WMO315", "JW315"])
def test_a_315_becomes_an_advice_a_decision_and_a_301_that_answers_it(cycle, kind):
    case = resident_case(cycle.world)
    provision, provider = (cycle.wmo, cycle.provider) if kind == "WMO315" else (cycle.jw, cycle.jw_provider)
    content = request_315(
        kind,
        agb=provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        category=provision.product_category,
    )
    assert is_valid(kind, content)
    response = upload(cycle.client, content)
    request = AllocationRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("maatwerk:request", kwargs={"pk": request.pk})
    assert (request.provider, request.resident, request.resident_check) == (
        provider,
        case.resident,
        ResidentCheck.MATCH,
    )
    incoming = Message.objects.get(direction=Direction.IN)
    assert incoming.status == MessageStatus.AWAITING_ANSWER and incoming.due_on == request.answer_due
    if kind == "JW315":  # iJw: the retour at once, valid against the JW316 XSD
        assert is_valid("JW316", sent("JW316").xml.encode())
    page = cycle.client.get(reverse("maatwerk:request", kwargs={"pk": request.pk})).content.decode()
    name = "Hulp bij het huishouden" if kind == "WMO315" else "Jeugdhulp ambulant"
    assert name in page  # the category's name from the code list, not only its code
    assert f"{timezone.localdate():%Y-%m-%d}" not in page  # dates in Dutch
    response = cycle.client.post(reverse("maatwerk:request", kwargs={"pk": request.pk}), {"action": "advice"})
    advice = IndicationAdvice.objects.get(from_request=request)
    assert response.status_code == 302 and advice.case == case and advice.preferred_provider == provider
    decision_make(advice=advice, by=cycle.beschikker, outcome="toegekend", grounds="Past.")
    allocation = Allocation.objects.get()
    assert allocation.reference == "VOT-2026-0001"
    answer = sent(kind[:-3] + "301")
    assert is_valid(answer.kind, answer.xml.encode()) and "VOT-2026-0001" in answer.xml
    assert answer.answers == incoming
    request.refresh_from_db()
    incoming.refresh_from_db()
    assert request.status == RequestStatus.GRANTED and incoming.status == MessageStatus.ANSWERED
    expected = MessageStatus.AWAITING_RETOUR if kind == "JW315" else MessageStatus.SENT
    assert answer.status == expected


@pytest.mark.parametrize("kind", ["WMO315", "JW315"])
def test_a_refused_request_gets_a_319_with_the_reason_from_the_code_list(cycle, kind):
    case = resident_case(cycle.world)
    provision, provider = (cycle.wmo, cycle.provider) if kind == "WMO315" else (cycle.jw, cycle.jw_provider)
    content = request_315(
        kind,
        agb=provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        category=provision.product_category,
    )
    assert upload(cycle.client, content).status_code == 302
    request = AllocationRequest.objects.get()
    url = reverse("maatwerk:request", kwargs={"pk": request.pk})
    assert cycle.client.post(url, {"action": "in_progress"}).status_code == 302
    assert cycle.client.post(url, {"action": "refuse", "reason": ""}).status_code == 400
    assert cycle.client.post(url, {"action": "refuse", "reason": "3"}).status_code == 302
    answers = list(Message.objects.filter(direction=Direction.OUT, kind=kind[:-3] + "319").order_by("pk"))
    assert [a.summary["answer"] for a in answers] == ["2", "1"]
    for answer in answers:
        assert is_valid(answer.kind, answer.xml.encode())
    assert "<" in answers[1].xml and "RedenAfwijzingVerzoek>3<" in answers[1].xml
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert "Geen contract" in cycle.client.get(url).content.decode()


def test_a_different_name_and_birth_date_is_a_warning_the_beschikker_resolves(cycle):
    case = resident_case(cycle.world)
    content = request_315(
        agb=cycle.provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        surname="Jansma",
        birth="1961-01-01",
    )
    response = upload(cycle.client, content)
    request = AllocationRequest.objects.get()
    assert request.resident_check == ResidentCheck.MISMATCH
    page = cycle.client.get(response.url).content.decode()
    assert "wijken af" in page
    url = reverse("maatwerk:request", kwargs={"pk": request.pk})
    assert cycle.client.post(url, {"action": "advice"}).status_code == 400  # first resolve who it is
    assert not IndicationAdvice.objects.exists()
    cycle.client.post(url, {"action": "other"})
    request.refresh_from_db()
    assert (request.resident, request.resident_check) == (None, ResidentCheck.UNKNOWN)


def test_a_317_is_compared_with_the_allocation_and_granted(cycle):
    case = resident_case(cycle.world)
    start = timezone.localdate() - timedelta(days=30)
    allocation = granted_allocation(cycle, cycle.jw, case, starts_on=start, ends_on=start + timedelta(days=180))
    new_end = start + timedelta(days=270)
    content = change_317(
        "JW317",
        agb=cycle.jw_provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        number=allocation.pk,
        starts_on=start,
        ends_on=new_end,
        volume=3,
        unit="04",
        frequency="2",
    )
    assert is_valid("JW317", content)
    response = upload(cycle.client, content)
    assert response.status_code == 302
    assert is_valid("JW318", sent("JW318").xml.encode())
    request = AllocationRequest.objects.get()
    page = cycle.client.get(response.url).content.decode()
    assert f"{new_end:%-d}" in page and "Nu" in page  # the current allocation beside what is asked
    cycle.client.post(response.url, {"action": "grant"})
    allocation.refresh_from_db()
    assert allocation.ends_on == new_end
    changed = Message.objects.filter(direction=Direction.OUT, kind="JW301").order_by("-pk").first()
    assert is_valid("JW301", changed.xml.encode()) and "RedenWijziging>12<" in changed.xml
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED


def test_a_317_that_leaves_out_a_current_allocation_is_refused(cycle):
    case = resident_case(cycle.world)
    first = granted_allocation(cycle, cycle.wmo, case)
    granted_allocation(cycle, cycle.wmo, case)
    content = change_317(
        agb=cycle.provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        number=first.pk,
        starts_on=timezone.localdate(),
    )
    response = upload(cycle.client, content)
    assert response.status_code == 400
    assert "9349" in response.content.decode()
    assert not AllocationRequest.objects.exists()


@pytest.mark.parametrize("standard", ["wmo", "jw"])
def test_start_and_stop_of_care_set_the_real_delivery(cycle, standard):
    case = resident_case(cycle.world)
    provision = cycle.wmo if standard == "wmo" else cycle.jw
    start = timezone.localdate() - timedelta(days=40)
    allocation = granted_allocation(cycle, provision, case, starts_on=start)
    prefix = "WMO" if standard == "wmo" else "JW"
    common = {
        "agb": allocation.provider.agb_code,
        "municipality": cycle.code,
        "bsn": case.resident.bsn,
        "number": allocation.pk,
        "category": provision.product_category,
        "allocation_starts_on": start,
    }
    begin = start + timedelta(days=3)
    started = delivery(f"{prefix}305", begins_on=begin, **common)
    assert is_valid(f"{prefix}305", started)
    assert upload(cycle.client, started).status_code == 302
    allocation.refresh_from_db()
    assert allocation.started_on == begin
    assert case.events.filter(kind="delivery").exists()
    again = upload(cycle.client, delivery(f"{prefix}305", begins_on=begin, message_id="305000000002", **common))
    assert again.status_code == 400 and "9074" in again.content.decode()
    end = begin + timedelta(days=20)
    reason = "19" if standard == "wmo" else "31"  # "levering volgens plan beëindigd" (WMO588 / JZ588)
    stopped = delivery(
        f"{prefix}307", begins_on=begin, ends_on=end, reason=reason, message_id="307000000001", **common
    )
    assert is_valid(f"{prefix}307", stopped)
    assert upload(cycle.client, stopped).status_code == 302
    allocation.refresh_from_db()
    assert (allocation.stopped_on, allocation.end_reason) == (end, reason)
    if standard == "jw":
        assert is_valid("JW306", sent("JW306").xml.encode()) and is_valid("JW308", sent("JW308").xml.encode())
    page = login(cycle.world.worker).get(reverse("maatwerk:case", kwargs={"case_pk": case.pk})).content.decode()
    assert "volgens plan be" in page  # the reason's name from the code list
    assert f"{begin.day} " in page and str(begin.year) in page


def test_a_start_for_an_allocation_that_does_not_exist_is_refused(cycle):
    case = resident_case(cycle.world)
    content = delivery(
        "WMO305",
        agb=cycle.provider.agb_code,
        municipality=cycle.code,
        bsn=case.resident.bsn,
        number=999,
        category="01",
        allocation_starts_on=timezone.localdate(),
        begins_on=timezone.localdate(),
    )
    response = upload(cycle.client, content)
    page = response.content.decode()
    assert response.status_code == 400
    assert "WMO305" in page and "ToewijzingNummer" in page and "999" in page and "9019" in page
    assert not Message.objects.exists()


@pytest.mark.parametrize("kind", ["WMO323", "JW323"])
def test_a_declaration_is_checked_against_allocation_period_product_and_price(cycle, kind):
    case = resident_case(cycle.world)
    provision = cycle.wmo if kind == "WMO323" else cycle.jw
    month = timezone.localdate().replace(day=1) - timedelta(days=1)
    first = month.replace(day=1)
    allocation = granted_allocation(
        cycle, provision, case, starts_on=first - timedelta(days=60), volume=3, frequency="2"
    )
    price = int(provision.unit_price * 100)
    good = {
        "bsn": case.resident.bsn,
        "reference": "P1",
        "number": allocation.pk,
        "category": provision.product_category,
        "code": "X1",
        "starts_on": first,
        "ends_on": month,
        "volume": 12,
        "unit": provision.unit,
        "tariff": price,
        "amount": 12 * price,
    }
    services = [
        good,
        {**good, "reference": "P2", "tariff": price + 100, "amount": 12 * (price + 100)},  # 0611 price
        {**good, "reference": "P3", "category": "02" if kind == "WMO323" else "46"},  # 9339 product
        {**good, "reference": "P4", "volume": 40, "amount": 40 * price},  # 9321 volume
        {**good, "reference": "P5", "number": 999999},  # 9338 no allocation
    ]
    content = declaration_323(
        kind, agb=allocation.provider.agb_code, municipality=cycle.code, period=(first, month), services=services
    )
    assert is_valid(kind, content)
    response = upload(cycle.client, content)
    assert response.status_code == 302
    outcome = {s.reference: (s.accepted, s.codes) for s in DeclaredService.objects.all()}
    assert outcome == {
        "P1": (True, []),
        "P2": (False, ["0611"]),
        "P3": (False, ["9339"]),
        "P4": (False, ["9321"]),
        "P5": (False, ["9338"]),
    }
    message = Message.objects.get(direction=Direction.IN)
    assert Decimal(message.summary["granted"]) == Decimal(12 * price) / 100
    page = cycle.client.get(reverse("maatwerk:message", kwargs={"pk": message.pk})).content.decode()
    assert escape("Het ingediende tarief komt niet overeen met het contractuele tarief.") in page
    if kind == "JW323":
        answer = sent("JW325")
        assert is_valid("JW325", answer.xml.encode())
        assert "0611" in answer.xml and "8001" in answer.xml


def test_the_providers_retour_on_a_jw301_is_read_back_and_matched(cycle):
    case = resident_case(cycle.world)
    allocation = granted_allocation(cycle, cycle.jw, case)
    ours = Message.objects.get(direction=Direction.OUT, kind="JW301")
    assert ours.status == MessageStatus.AWAITING_RETOUR
    content = retour("JW302", ours.xml.encode(), codes=("0200",))
    assert is_valid("JW302", content)
    assert upload(cycle.client, content).status_code == 302
    ours.refresh_from_db()
    assert ours.status == MessageStatus.ACCEPTED
    assert allocation.messages.filter(kind="JW302").exists()
    twice = upload(cycle.client, content)
    assert twice.status_code == 400


def test_a_rejecting_jw320_is_shown_with_the_meaning_of_its_code(cycle):
    case = resident_case(cycle.world)
    upload(
        cycle.client,
        request_315(
            "JW315", agb=cycle.jw_provider.agb_code, municipality=cycle.code, bsn=case.resident.bsn, category="45"
        ),
    )
    request = AllocationRequest.objects.get()
    cycle.client.post(reverse("maatwerk:request", kwargs={"pk": request.pk}), {"action": "refuse", "reason": "5"})
    ours = sent("JW319")
    content = retour("JW320", ours.xml.encode(), codes=("9365",))
    assert is_valid("JW320", content)
    response = upload(cycle.client, content)
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == MessageStatus.REJECTED
    page = cycle.client.get(reverse("maatwerk:message", kwargs={"pk": ours.pk})).content.decode()
    assert "9365" in page and "antwoordbericht" in page


def test_the_inbox_per_provider_and_who_sees_it(cycle, django_assert_max_num_queries):
    case = resident_case(cycle.world)
    for n in range(3):
        granted_allocation(cycle, cycle.jw, resident_case(cycle.world, n + 2))
    upload(cycle.client, request_315(agb=cycle.provider.agb_code, municipality=cycle.code, bsn=case.resident.bsn))
    with django_assert_max_num_queries(12):
        page = cycle.client.get(reverse("maatwerk:messages"))
    text = page.content.decode()
    assert "Te beantwoorden" in text and cycle.provider.name in text and "Hoekstra" in text
    with django_assert_max_num_queries(12):
        per_provider = cycle.client.get(reverse("maatwerk:messages"), {"aanbieder": cycle.jw_provider.pk})
    assert per_provider.content.decode().count("JW301 ") == 3
    # Their care starts today: no start of care is late yet.
    assert "Elke start is gemeld" in per_provider.content.decode()
    # The contract manager (functional administrator) sees the traffic, never a client.
    admin = login(cycle.world.admin) if hasattr(cycle.world, "admin") else None
    if admin is None:
        from accounts.factories import UserFactory
        from accounts.models import Role

        admin = login(UserFactory(role=Role.ADMINISTRATOR, municipality=cycle.world.municipality))
    overview = admin.get(reverse("maatwerk:messages")).content.decode()
    assert cycle.provider.name in overview and "Hoekstra" not in overview
    message = Message.objects.filter(direction=Direction.IN).first()
    assert admin.get(reverse("maatwerk:message", kwargs={"pk": message.pk})).status_code == 403
    assert login(cycle.world.worker).get(reverse("maatwerk:messages")).status_code == 403
    download = cycle.client.get(reverse("maatwerk:message_xml", kwargs={"pk": message.pk}))
    assert download.status_code == 200 and download["Content-Type"].startswith("application/xml")
    assert AccessLog.objects.filter(user=cycle.beschikker, action=Action.EXPORT).exists()


def test_an_advice_from_a_request_refused_on_its_content_answers_with_a_319(cycle):
    case = resident_case(cycle.world)
    upload(cycle.client, request_315(agb=cycle.provider.agb_code, municipality=cycle.code, bsn=case.resident.bsn))
    request = AllocationRequest.objects.get()
    cycle.client.post(reverse("maatwerk:request", kwargs={"pk": request.pk}), {"action": "advice"})
    advice = IndicationAdvice.objects.get()
    decision_make(advice=advice, by=cycle.beschikker, outcome="afgewezen", grounds="Algemene voorziening volstaat.")
    advice.refresh_from_db()
    request.refresh_from_db()
    assert advice.status == AdviceStatus.REFUSED and request.status == RequestStatus.REFUSED
    answer = sent("WMO319")
    assert is_valid("WMO319", answer.xml.encode()) and "RedenAfwijzingVerzoek>7<" in answer.xml


def test_the_cost_overview_shows_realised_and_declared_costs(cycle):
    """Three hours a week at EUR 31.50, really delivered from 2 to 22 March (21 days): EUR 283.50
    realised; the provider declares the nine hours of March, accepted: EUR 283.50 declared."""
    year = timezone.localdate().year - 1
    Contract.objects.filter(provision=cycle.wmo).update(valid_from=date(year, 1, 1))
    case = resident_case(cycle.world)
    allocation = granted_allocation(cycle, cycle.wmo, case, starts_on=date(year, 3, 1), volume=3, frequency="2")
    common = {
        "agb": allocation.provider.agb_code,
        "municipality": cycle.code,
        "bsn": case.resident.bsn,
        "number": allocation.pk,
        "category": "01",
        "allocation_starts_on": date(year, 3, 1),
    }
    upload(cycle.client, delivery("WMO305", begins_on=date(year, 3, 2), **common))
    upload(
        cycle.client,
        delivery("WMO307", begins_on=date(year, 3, 2), ends_on=date(year, 3, 22), message_id="307000000001", **common),
    )
    service = {
        "bsn": case.resident.bsn,
        "reference": "MRT1",
        "number": allocation.pk,
        "category": "01",
        "code": "01A01",
        "starts_on": date(year, 3, 1),
        "ends_on": date(year, 3, 31),
        "volume": 9,
        "unit": "04",
        "tariff": 3150,
        "amount": 9 * 3150,
    }
    content = declaration_323(
        agb=allocation.provider.agb_code,
        municipality=cycle.code,
        period=(date(year, 3, 1), date(year, 3, 31)),
        services=[service],
    )
    assert upload(cycle.client, content).status_code == 302
    page = cycle.client.get(reverse("maatwerk:costs"), {"year": year}).content.decode()  # the beschikker: exact
    assert page.count("€ 283,50") >= 2 * 4  # realised and declared: total, per provision, team, district, month
    assert f"maart {year}" in page
    assert "Hoekstra" not in page
    # A policy officer does not see the cost of one allocation: it is one resident's care.
    policy = login(cycle.world.policy).get(reverse("maatwerk:costs"), {"year": year}).content.decode()
    assert "283,50" not in policy and f"maart {year}" in policy


def test_the_purge_removes_the_messages_about_an_expired_case(cycle):
    """Messages hold the BSN: those of an allocation go with it; a refused request and its 319,
    which hang off no allocation, go with the resident."""
    import io

    from django.core.management import call_command

    from cases.models import Case

    case = resident_case(cycle.world)
    granted_allocation(cycle, cycle.wmo, case)
    other = cycle.wmo.providers.first()
    content = request_315(agb=other.agb_code, municipality=cycle.code, bsn=case.resident.bsn, reference="VOT-2")
    upload(cycle.client, content)
    request = AllocationRequest.objects.get()
    cycle.client.post(reverse("maatwerk:request", kwargs={"pk": request.pk}), {"action": "refuse", "reason": "7"})
    assert Message.objects.count() == 3  # the 301, the 315 and its 319
    Case.objects.filter(pk=case.pk).update(status="afgesloten", closed_at=timezone.now() - timedelta(days=365 * 16))
    call_command("purge", "--execute", stdout=io.StringIO())
    assert not Message.objects.exists() and not AllocationRequest.objects.exists()


def test_an_allocation_without_a_reported_start_shows_as_late(cycle):
    case = resident_case(cycle.world)
    allocation = granted_allocation(cycle, cycle.wmo, case, starts_on=timezone.localdate() - timedelta(days=10))
    page = cycle.client.get(reverse("maatwerk:messages"), {"aanbieder": allocation.provider_id}).content.decode()
    assert f"Toewijzing {allocation.number} " in page
    allocation.started_on = timezone.localdate() - timedelta(days=9)
    allocation.save(update_fields=["started_on"])
    page = cycle.client.get(reverse("maatwerk:messages"), {"aanbieder": allocation.provider_id}).content.decode()
    assert "Elke start is gemeld" in page
