"""What the resident sees in Mijn Wijkteam: only their own (another resident's id in a URL is 404,
a household member sees none of another member's case), never the professionals' notes; every
page in the access log with the resident as the actor; agreeing to the plan and asking for a change
reach the regisseur's plan page."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from cases.models import CaseEvent
from conftest import login
from plans.models import AgreementKind, PlanResponse, ResponseKind
from privacy.models import AccessLog, Action, Purpose

from .conftest import resident_client


def _pages(family):
    plan = family.plan.pk
    return [
        ("get", reverse("portal:home")),
        ("get", reverse("portal:plan", args=[plan])),
        ("post", reverse("portal:plan_agree", args=[plan])),
        ("post", reverse("portal:plan_change", args=[plan])),
        ("get", reverse("portal:own_file")),
        ("get", reverse("portal:consents")),
        ("get", reverse("portal:own_file_download", args=["pdf"])),
        ("get", reverse("portal:own_file_download", args=["json"])),
    ]


def test_every_page_sends_a_stranger_to_the_sign_in(family):
    client = Client()
    for method, url in _pages(family):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("portal:sign_in")), url
    assert not AccessLog.objects.exists()


def test_another_residents_plan_is_404_for_every_page(world, family):
    """A resident of another household, and a member of the same household without a case of their
    own in it, get 404 for the plan: to read, to agree, to ask a change."""
    client = resident_client(family.other_child)
    for method, name in (("get", "portal:plan"), ("post", "portal:plan_agree"), ("post", "portal:plan_change")):
        response = getattr(client, method)(reverse(name, args=[family.plan.pk]), {"text": "x", "version": 1})
        assert response.status_code == 404, name
    family.plan.refresh_from_db()
    assert family.plan.agreed_on is None
    assert not PlanResponse.objects.exists()


def test_a_plan_of_another_household_is_404(world, family):
    from people.factories import household_in
    from plans.services import plan_start

    other = household_in(world.area_a)
    other_plan = plan_start(household=other, by=world.worker)
    client = resident_client(family.govert)
    assert client.get(reverse("portal:plan", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("portal:plan", args=[999999])).status_code == 404
    assert client.get("/mijn/dossier/xml/").status_code == 404


def test_the_start_page_shows_only_the_residents_own_and_no_notes(world, family, django_assert_max_num_queries):
    world.team_a.phone = "058 233 83 88"
    world.team_a.save()
    client = resident_client(family.govert)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("portal:home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store, private"
    assert reverse("portal:plan", args=[family.plan.pk]) in html
    assert "058 233 83 88" in html
    assert f"{timezone.localtime(family.visit.planned_at):%H:%M}" in html
    assert str(world.worker.get_full_name() or world.worker) in html
    assert str(world.colleague.get_full_name() or world.colleague) not in html  # the child's visit
    assert "Interne notitie" not in html

    child_page = resident_client(family.child).get(reverse("portal:home")).content.decode()
    assert str(world.colleague.get_full_name() or world.colleague) in child_page
    assert "Interne notitie" not in child_page


def test_the_start_page_queries_do_not_grow_with_visits(world, family, django_assert_max_num_queries):
    from contacts.factories import ContactFactory

    for _ in range(10):
        ContactFactory(case=family.case, professional=world.colleague)
    client = resident_client(family.govert)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("portal:home")).status_code == 200


def test_the_plan_in_plain_words(world, family):
    html = resident_client(family.govert).get(reverse("portal:plan", args=[family.plan.pk])).content.decode()
    assert "Govert woont veilig thuis." in html
    assert "De post is elke week geopend" in html
    assert "Opent samen met Gijs de post" in html
    assert "Formulierenbrigade" in html
    assert "Ik ga akkoord met dit plan" in html


def test_every_page_view_is_in_the_access_log_with_the_resident_as_actor(world, family):
    client = resident_client(family.govert)
    client.get(reverse("portal:home"))
    client.get(reverse("portal:plan", args=[family.plan.pk]))
    client.get(reverse("portal:own_file"))
    rows = list(AccessLog.objects.order_by("pk"))
    assert [(r.user_id, r.role, r.action, r.purpose, r.resident_id) for r in rows] == [
        (None, "resident", Action.VIEW, Purpose.OWN_FILE, family.govert.pk)
    ] * 3
    # The plan is the household's, but its reading is this resident's: no household id, so the
    # other members' own files do not list it.
    assert [(r.household_id, r.case_id) for r in rows] == [(None, None)] * 3
    assert all("999970008" not in r.detail for r in rows)


def test_agreeing_to_the_plan_digitally(world, family):
    client = resident_client(family.govert)
    response = client.post(reverse("portal:plan_agree", args=[family.plan.pk]), {"version": family.plan.version})
    assert response.status_code == 302
    plan = family.plan
    plan.refresh_from_db()
    assert plan.agreed_on == timezone.localdate()
    assert plan.agreement == AgreementKind.DIGITAL
    agreed = PlanResponse.objects.get()
    assert (agreed.kind, agreed.resident, agreed.level_of_assurance) == (
        ResponseKind.AGREED,
        family.govert,
        "substantieel",
    )
    assert CaseEvent.objects.filter(case=family.case, by=None, kind="plan").exists()
    assert not CaseEvent.objects.filter(case=family.child_case, by=None).exists()
    page = client.get(reverse("portal:plan", args=[plan.pk])).content.decode()
    assert "Digitaal (DigiD)" in page
    assert "Ik ga akkoord met dit plan" not in page
    regisseur_page = login(world.worker).get(reverse("plans:plan", args=[family.household.pk])).content.decode()
    assert "Van de inwoner (Mijn Wijkteam)" in regisseur_page
    assert "Digitaal (DigiD)" in regisseur_page


def test_agreeing_to_a_plan_that_changed_meanwhile_is_refused(world, family):
    client = resident_client(family.govert)
    response = client.post(reverse("portal:plan_agree", args=[family.plan.pk]), {"version": family.plan.version - 1})
    assert response.status_code == 302
    family.plan.refresh_from_db()
    assert family.plan.agreed_on is None
    assert "Het plan is veranderd" in client.get(response["Location"]).content.decode()


def test_asking_for_a_change(world, family):
    client = resident_client(family.govert)
    url = reverse("portal:plan_change", args=[family.plan.pk])
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400
    assert 'id="change-text-error"' in empty.content.decode()
    assert "Schrijf wat u anders wilt." in empty.content.decode()
    too_long = client.post(url, {"text": "x" * 2001})
    assert too_long.status_code == 400 and "2000" in too_long.content.decode()
    assert "x" * 2001 in too_long.content.decode()  # the input is kept
    assert client.post(url, {"text": "Gijs kan niet op dinsdag."}).status_code == 302
    asked = PlanResponse.objects.get()
    assert (asked.kind, asked.text) == (ResponseKind.CHANGE, "Gijs kan niet op dinsdag.")
    regisseur_page = login(world.worker).get(reverse("plans:plan", args=[family.household.pk])).content.decode()
    assert "Gijs kan niet op dinsdag." in regisseur_page


def test_the_own_file_as_json_and_pdf_is_logged_for_the_privacy_officer(world, family):
    worker = login(world.worker)
    worker.get(reverse("cases:detail", args=[family.case.pk]))  # a professional opened the dossier
    client = resident_client(family.govert)
    response = client.get(reverse("portal:own_file_download", args=["json"]))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["resident"]["name"] == "Govert Geus"
    assert [c["reference"] for c in data["cases"]] == [family.case.reference]  # not the child's case
    assert any(row["who"] == str(world.worker) for row in data["access_log"])
    pdf = client.get(reverse("portal:own_file_download", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    exports = AccessLog.objects.filter(resident_id=family.govert.pk, action=Action.EXPORT, user=None)
    assert exports.count() == 2
    officer = UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality)
    log_page = login(officer).get(reverse("privacy:log") + f"?inwoner={family.govert.pk}").content.decode()
    assert log_page.count('\u2013 <span class="wt-muted">resident</span>') == 2  # no user; the resident
    assert log_page.count("own_file") == 2


@pytest.mark.parametrize("name", ["portal:unknown", "portal:level_too_low", "portal:signed_out", "portal:sign_in"])
def test_the_open_pages_show_no_personal_data(family, name):
    page = Client().get(reverse(name))
    assert page.status_code == 200
    assert "Geus" not in page.content.decode()


def test_withdrawing_a_consent_is_effective_at_once(world, family):
    from partners.factories import OrganisationFactory
    from privacy.factories import ConsentFactory
    from privacy.services import valid_consent

    organisation = OrganisationFactory(municipality=world.municipality, name="Schuldhulp Friesland")
    consent = ConsentFactory(resident=family.govert, organisation=organisation, recorded_by=world.worker)
    others = ConsentFactory(resident=family.child, organisation=organisation, recorded_by=world.worker)
    client = resident_client(family.govert)
    page = client.get(reverse("portal:consents")).content.decode()
    assert "Schuldhulp Friesland" in page
    assert reverse("portal:consent_withdraw", args=[consent.pk]) in page
    assert reverse("portal:consent_withdraw", args=[others.pk]) not in page
    assert client.post(reverse("portal:consent_withdraw", args=[others.pk])).status_code == 404
    assert client.post(reverse("portal:consent_withdraw", args=[consent.pk])).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_by is None
    assert valid_consent(resident=family.govert, organisation=organisation, categories=consent.categories) is None
    assert CaseEvent.objects.filter(case=family.case, kind="consent", by=None).exists()
    assert "ingetrokken op" in client.get(reverse("portal:consents")).content.decode()
    others.refresh_from_db()
    assert others.withdrawn_on is None
