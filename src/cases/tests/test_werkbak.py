"""The team's work queue, triage 80-20-5 with its reason, regisseur suggestions and decision terms."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ExpertiseFactory, UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from cases.models import Case, LegalFramework, Triage
from cases.suggestions import suggest_regisseurs
from cases.workflow import Status
from conftest import login
from zrm.models import LifeDomain


def test_the_queue_shows_untriaged_unassigned_and_deadlines_overdue_first(world, as_worker):
    today = timezone.localdate()
    overdue = CaseFactory(
        team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT, melding_date=today - timedelta(weeks=8)
    )
    unassigned = CaseFactory(team=world.team_a, triage=Triage.SUPPORT, melding_date=today - timedelta(weeks=3))
    untriaged = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(weeks=3))
    settled = CaseFactory(
        team=world.team_a, regisseur=world.worker, triage=Triage.SUPPORT, melding_date=today - timedelta(weeks=3)
    )
    Case.objects.filter(pk=settled.pk).update(opened_at=timezone.now() - timedelta(weeks=3))
    elsewhere = CaseFactory(team=world.team_b)
    response = as_worker.get(reverse("cases:werkbak"))
    shown = [c.pk for c in response.context["cases"]]
    assert shown[0] == overdue.pk
    assert set(shown) == {overdue.pk, unassigned.pk, untriaged.pk}
    assert elsewhere.pk not in shown and settled.pk not in shown
    html = response.content.decode()
    assert "wt-overdue" in html
    counts = response.context["counts"]
    assert counts["untriaged"] == 1 and counts["unassigned"] == 1 and counts["deadlines"] == 1
    only = as_worker.get(reverse("cases:werkbak"), {"toon": "unassigned"}).context["cases"]
    assert [c.pk for c in only] == [unassigned.pk]


def test_the_queue_query_count_does_not_grow(world, as_worker, django_assert_max_num_queries):
    for _ in range(20):
        CaseFactory(team=world.team_a)
    with django_assert_max_num_queries(10):
        response = as_worker.get(reverse("cases:werkbak"))
    assert len(response.context["cases"]) == 20


@pytest.mark.parametrize("triage", list(Triage))
def test_each_triage_outcome_is_recorded_with_its_reason(world, as_worker, triage):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases:triage", args=[case.pk])
    response = as_worker.post(url, {"triage": triage, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = as_worker.post(
        url, {"triage": triage, "reason": "Schulden en opvoeding", "regisseur": world.colleague.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.triage == triage and case.triage_reason == "Schulden en opvoeding"
    assert case.regisseur == world.colleague
    event = case.events.get(kind="triage")
    assert event.note == "Schulden en opvoeding" and event.by == world.worker


def test_someone_from_another_team_gets_404_on_triage(world, as_outsider):
    case = CaseFactory(team=world.team_a)
    assert as_outsider.get(reverse("cases:triage", args=[case.pk])).status_code == 404
    assert (
        as_outsider.post(reverse("cases:triage", args=[case.pk]), {"triage": "zelfredzaam", "reason": "x"}).status_code
        == 404
    )
    assert case.events.count() == 0


def test_suggestions_weigh_expertise_area_and_caseload_and_say_why(world):
    finance = ExpertiseFactory(code="financien", name="Financiën en schulden")
    expert = UserFactory(role=Role.SOCIAL_WORKER, teams=[world.team_a], first_name="Anke", last_name="Expert")
    expert.expertises.add(finance)
    busy = world.colleague
    for _ in range(3):
        CaseFactory(team=world.team_a, regisseur=busy)
    case = CaseFactory(team=world.team_a)
    case.life_domains.set([LifeDomain.objects.get(code="financien")])
    suggestions = suggest_regisseurs(case)
    assert suggestions[0].user == expert
    assert "Financiën en schulden" in " ".join(suggestions[0].reasons)
    by_user = {s.user: s for s in suggestions}
    assert by_user[busy].caseload == 3 and by_user[busy].in_area == 3
    assert any("Huizum-West" in reason for reason in by_user[busy].reasons)
    assert world.outsider not in by_user


def test_triage_page_shows_suggestions_with_few_queries(world, as_worker, django_assert_max_num_queries):
    for _ in range(6):
        UserFactory(role=Role.SOCIAL_WORKER, teams=[world.team_a])
    case = CaseFactory(team=world.team_a)
    with django_assert_max_num_queries(16):
        response = as_worker.get(reverse("cases:triage", args=[case.pk]))
    assert len(response.context["suggestions"]) == 5
    assert "Caseload" in response.content.decode() or "Caseload" in str(response.context["suggestions"][0].reasons)


@pytest.mark.parametrize(
    ("code", "aanvraag", "due"),
    [
        ("wmo", date(2026, 3, 2), date(2026, 3, 16)),  # two weeks
        ("jeugdwet", date(2026, 3, 9), date(2026, 5, 4)),  # eight weeks
        ("wmo", date(2026, 4, 13), date(2026, 4, 28)),  # two weeks ends on King's Day (27 April): the 28th
    ],
)
def test_an_application_starts_its_decision_term(world, as_worker, code, aanvraag, due):
    case = CaseFactory(team=world.team_a)
    framework = LegalFramework.objects.get(code=code)
    response = as_worker.post(
        reverse("cases:aanvraag", args=[case.pk]), {"aanvraag_date": aanvraag.isoformat(), "framework": framework.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.decision_due == due and case.decision_running
    assert case.decision_overdue is (due < timezone.localdate())


def test_other_roles_have_no_work_queue(world):
    assert login(world.policy).get(reverse("cases:werkbak")).status_code == 403


def test_a_long_queue_comes_in_pages_in_deadline_order(world, as_worker):
    """The database orders the whole queue by the nearest running deadline (investigation or
    decision), then newest first; each page holds the next 50, the caption counts them all."""
    today = timezone.localdate()
    for index in range(56):
        case = CaseFactory(team=world.team_a, melding_date=today - timedelta(days=index % 9 * 5))
        if index % 4 == 1:  # a plan with an application waiting for a decision: only that term runs
            Case.objects.filter(pk=case.pk).update(status=Status.PLAN, decision_due=today + timedelta(days=index % 7))
        elif index % 4 == 2:  # still investigating and an application already made: the nearer term
            Case.objects.filter(pk=case.pk).update(decision_due=today - timedelta(days=index % 5))
        elif index % 4 == 3:  # no legal term running
            Case.objects.filter(pk=case.pk).update(status=Status.PLAN, onderzoek_due=None)
    expected = sorted(
        Case.objects.filter(team=world.team_a),
        key=lambda c: (c.next_due is None, c.next_due or today, -c.opened_at.timestamp(), -c.pk),
    )
    first = as_worker.get(reverse("cases:werkbak"))
    second = as_worker.get(reverse("cases:werkbak"), {"pagina": 2})
    shown = [c.pk for c in first.context["cases"]] + [c.pk for c in second.context["cases"]]
    assert len(first.context["cases"]) == 50
    assert shown == [c.pk for c in expected]
    assert "56 zaken" in first.content.decode()
    assert 'href="?pagina=2"' in first.content.decode() and 'rel="next"' in first.content.decode()
    html = second.content.decode()
    assert 'aria-current="page" href="?pagina=2"' in html and 'rel="prev"' in html and 'rel="next"' not in html
    # A number out of range or not a number shows the nearest page, not an error.
    assert [c.pk for c in as_worker.get(reverse("cases:werkbak"), {"pagina": 9}).context["cases"]] == shown[50:]
    assert [c.pk for c in as_worker.get(reverse("cases:werkbak"), {"pagina": "x"}).context["cases"]] == shown[:50]


def test_the_pages_of_a_filtered_queue_keep_the_filter(world, as_worker):
    for _ in range(51):
        CaseFactory(team=world.team_a)
    html = as_worker.get(reverse("cases:werkbak"), {"toon": "unassigned"}).content.decode()
    assert 'href="?toon=unassigned&amp;pagina=2"' in html
    second = as_worker.get(reverse("cases:werkbak"), {"toon": "unassigned", "pagina": 2})
    assert len(second.context["cases"]) == 1 and second.context["show"] == "unassigned"
