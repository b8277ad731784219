"""The lists of open cases (Mijn werk and the team's open cases, issue 23): in the order of the
work (phase, then the nearest legal term), shown above the list; one row per resident, also when a
resident has two open cases; only one's own teams; the new team member's hint."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.factories import CaseFactory
from cases.models import Case, Triage
from cases.workflow import Status
from conftest import login
from contacts.factories import ContactFactory
from contacts.models import ContactStatus
from people.factories import HouseholdMemberFactory, ResidentFactory


def rows(response) -> list[tuple[str, list[int]]]:
    return [(resident.display_name, [case.pk for case in cases]) for resident, cases in response.context["rows"]]


def test_open_cases_come_by_phase_then_the_nearest_legal_term_and_say_so(world, as_worker):
    today = timezone.localdate()
    later = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=3))
    sooner = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=30))
    running = CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.UITVOERING)
    evaluation = CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.EVALUATIE)
    intake = CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.INTAKE)
    response = as_worker.get(reverse("cases:my_work"))
    assert [pks for _name, pks in rows(response)] == [
        [sooner.pk],
        [later.pk],
        [intake.pk],
        [running.pk],
        [evaluation.pk],
    ]
    assert "aangemeld bovenaan, evaluatie onderaan" in response.content.decode()


def test_a_resident_with_two_open_cases_is_one_row(world, as_worker):
    """Why a resident appeared twice: a second melding for someone who already had an open case (the
    demo's divorce cases did so) is a second case row of the same resident."""
    first = CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.UITVOERING)
    second = CaseFactory(team=world.team_a, regisseur=world.worker, household=first.household, resident=first.resident)
    other = CaseFactory(team=world.team_a, regisseur=world.worker)
    response = as_worker.get(reverse("cases:my_work"))
    assert rows(response) == [
        (first.resident.display_name, [second.pk, first.pk]),  # the earlier phase first
        (other.resident.display_name, [other.pk]),
    ]
    html = response.content.decode()
    assert html.count(first.resident.display_name) == 1 and "2 open zaken" in html
    assert "Mijn open zaken: 2 inwoners" in html
    # Two members of one household, each with a case, are two residents: two rows.
    partner = ResidentFactory(area=world.area_a)
    HouseholdMemberFactory(household=other.household, resident=partner)
    CaseFactory(team=world.team_a, regisseur=world.worker, household=other.household, resident=partner)
    assert len(rows(as_worker.get(reverse("cases:my_work")))) == 3


def test_the_list_of_one_resident_row_per_page_keeps_the_query_count(world, as_worker, django_assert_max_num_queries):
    for _ in range(8):
        case = CaseFactory(team=world.team_a, regisseur=world.worker)
        CaseFactory(team=world.team_a, regisseur=world.worker, household=case.household, resident=case.resident)
    with django_assert_max_num_queries(12):  # fixed: the panels, the signal answers, unread messages
        response = as_worker.get(reverse("cases:my_work"))
    assert len(rows(response)) == 8
    with django_assert_max_num_queries(8):
        response = as_worker.get(reverse("cases:team_cases"))
    assert len(rows(response)) == 8


def test_the_teams_open_cases_narrowed_as_the_overview_links(world, as_worker):
    mine = CaseFactory(team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT, status=Status.PLAN)
    theirs = CaseFactory(team=world.team_a, regisseur=world.colleague)
    waiting = CaseFactory(team=world.team_a, regisseur=None)
    elsewhere = CaseFactory(team=world.team_b, regisseur=world.outsider)
    url = reverse("cases:team_cases")
    everything = {pk for _name, pks in rows(as_worker.get(url)) for pk in pks}
    assert everything == {mine.pk, theirs.pk, waiting.pk}  # not team B's
    assert rows(as_worker.get(url, {"regisseur": world.colleague.pk}))[0][1] == [theirs.pk]
    assert rows(as_worker.get(url, {"regisseur": "geen"}))[0][1] == [waiting.pk]
    assert rows(as_worker.get(url, {"status": Status.PLAN, "triage": Triage.SUPPORT}))[0][1] == [mine.pk]
    # The triage is not on a colleague's minimal card: the filter finds only the cases one may open.
    assert {pk for _n, pks in rows(as_worker.get(url, {"triage": "geen"})) for pk in pks} == {waiting.pk}
    leader = login(world.leader)
    assert {pk for _n, pks in rows(leader.get(url, {"triage": "geen"})) for pk in pks} == {theirs.pk, waiting.pk}
    narrowed = as_worker.get(url, {"team": world.team_a.pk, "regisseur": world.colleague.pk})
    assert escape(f"Getoond: {world.team_a.name} · regisseur {world.colleague}") in narrowed.content.decode()
    # Another team, or someone of another team: 404, not their list.
    assert as_worker.get(url, {"team": world.team_b.pk}).status_code == 404
    assert as_worker.get(url, {"regisseur": world.outsider.pk}).status_code == 404
    assert elsewhere.resident.display_name not in login(world.worker).get(url).content.decode()
    assert login(world.policy).get(url).status_code == 403


def test_a_new_team_member_learns_how_work_reaches_them(world):
    CaseFactory(team=world.team_a, regisseur=world.worker)
    page = login(world.colleague).get(reverse("cases:my_work"))
    html = page.content.decode()
    assert "Je werkt nog aan geen enkele zaak." in html and "Je teamleider wijst zaken toe" in html
    assert "Je team heeft 1 open zaak." in html and f'href="{reverse("cases:team_cases")}"' in html
    assert "break the glass" in html and f'href="{reverse("cases:werkbak")}"' in html
    # Who has work does not get the hint.
    assert "Je teamleider wijst zaken toe" not in login(world.worker).get(reverse("cases:my_work")).content.decode()


def test_a_colleagues_case_shows_only_its_minimal_card_on_the_team_list(world, as_worker):
    """A legal term reveals an application, contacts the work on the case: of a case the worker
    may not open in full, the team list shows what the minimal card shows; the team leader sees all."""
    today = timezone.localdate()
    theirs = CaseFactory(team=world.team_a, regisseur=world.colleague, status=Status.ONDERZOEK)
    Case.objects.filter(pk=theirs.pk).update(onderzoek_due=today + timedelta(days=9))
    visit = timezone.now() + timedelta(days=3)
    ContactFactory(case=theirs, professional=world.colleague, status=ContactStatus.PLANNED, planned_at=visit)
    mine = CaseFactory(team=world.team_a, regisseur=world.worker, status=Status.ONDERZOEK)
    Case.objects.filter(pk=mine.pk).update(onderzoek_due=today + timedelta(days=11))
    url = reverse("cases:team_cases")
    shown = {c.pk: c for _r, cases in as_worker.get(url).context["rows"] for c in cases}
    assert set(shown) == {theirs.pk, mine.pk}
    assert getattr(shown[theirs.pk], "card_only", False) and shown[theirs.pk].due is None
    assert shown[theirs.pk].next_contact is None and shown[theirs.pk].last_contact is None
    assert shown[mine.pk].due == today + timedelta(days=11) and not getattr(shown[mine.pk], "card_only", False)
    html = as_worker.get(url).content.decode()
    due = today + timedelta(days=9)
    assert f"{due.day}-{due.month}-{due.year}" not in html and "niet op deze zaak" in html
    lead = {c.pk: c for _r, cases in login(world.leader).get(url).context["rows"] for c in cases}
    assert lead[theirs.pk].due == due and lead[theirs.pk].next_contact is not None
