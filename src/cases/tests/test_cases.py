from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from cases.factories import CaseFactory
from cases.models import Case, CaseEvent, LegalFramework
from cases.services import case_involve
from cases.workflow import TRANSITIONS, Status
from conftest import login
from contacts.factories import ContactFactory
from people.factories import household_in
from privacy.models import AccessLog
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


def test_open_a_case_from_the_household(world, as_worker):
    household = household_in(world.area_a)
    resident = household.members.get().resident
    domains = LifeDomain.objects.filter(code__in=["financien", "sociaal-netwerk"])
    response = as_worker.post(
        reverse("cases:open", args=[household.pk]),
        {
            "resident": resident.pk,
            "question": "Kan de post niet meer overzien.",
            "frameworks": [LegalFramework.objects.get(code="wmo").pk],
            "life_domains": [d.pk for d in domains],
            "melding_date": "2025-11-24",  # before every moment the suite runs at (e2e/clock.py)
            "team": world.team_a.pk,
            "regisseur": world.worker.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert case.reference == f"2025-{case.pk:06d}"
    assert case.regisseur == world.worker
    assert case.status == Status.AANGEMELD
    assert case.onderzoek_due == date(2026, 1, 5)  # six weeks
    assert set(case.life_domains.all()) == set(domains)
    assert [e.kind for e in case.events.order_by("at", "pk")] == ["opened", "regisseur"]
    assert case.events.filter(kind="opened").get().by == world.worker


def test_open_case_form_defaults_need_only_the_question(world, as_worker):
    household = household_in(world.area_a)
    page = as_worker.get(reverse("cases:open", args=[household.pk]))
    form = page.context["form"]
    assert form.initial["team"] == world.team_a
    assert form.initial["regisseur"] == world.worker
    assert form.initial["melding_date"] == timezone.localdate()
    assert [f.code for f in form.initial["frameworks"]] == ["wmo"]


def test_melding_date_in_the_future_is_refused(world, as_worker):
    household = household_in(world.area_a)
    response = as_worker.post(
        reverse("cases:open", args=[household.pk]),
        {
            "resident": household.members.get().resident_id,
            "question": "x",
            "frameworks": [LegalFramework.objects.get(code="wmo").pk],
            "melding_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "team": world.team_a.pk,
        },
    )
    assert response.status_code == 200
    assert "melding_date" in response.context["form"].errors
    assert not Case.objects.exists()


def test_case_detail_for_team_404_for_others_and_logged(world, as_worker, as_outsider):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases:detail", args=[case.pk])
    assert as_worker.get(url).status_code == 200
    assert as_outsider.get(url).status_code == 404
    assert login(world.policy).get(url).status_code == 403
    assert login(world.leader).get(url).status_code == 200
    rows = AccessLog.objects.filter(case_id=case.pk)
    assert {r.user for r in rows} == {world.worker, world.leader}
    assert all(r.resident_id == case.resident_id and r.purpose == "casework" for r in rows)


def test_an_involved_professional_of_another_team_sees_the_case(world, as_outsider):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases:detail", args=[case.pk])
    assert as_outsider.get(url).status_code == 404
    case_involve(case=case, user=world.outsider, by=world.worker, reason="Schuldhulp")
    assert as_outsider.get(url).status_code == 200


def test_status_follows_the_workflow(world, as_worker):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases:status", args=[case.pk])
    response = as_worker.post(url, {"to": Status.PLAN})
    assert response.status_code == 400, "aangemeld cannot jump to plan"
    case.refresh_from_db()
    assert case.status == Status.AANGEMELD
    for target in [Status.INTAKE, Status.ONDERZOEK, Status.PLAN, Status.UITVOERING, Status.EVALUATIE]:
        assert as_worker.post(url, {"to": target, "note": "ok"}).status_code == 302
        case.refresh_from_db()
        assert case.status == target
    event = case.events.filter(kind="status").first()
    assert event.data["old_code"] == Status.UITVOERING and event.data["new_code"] == Status.EVALUATIE
    assert event.by == world.worker and event.note == "ok"


def test_every_status_can_close_and_only_closed_can_reopen():
    for status in Status:
        if status != Status.AFGESLOTEN:
            assert Status.AFGESLOTEN in TRANSITIONS[status]
    assert TRANSITIONS[Status.AFGESLOTEN] == {Status.ONDERZOEK}


def test_close_with_an_iwmo_end_reason_and_reopen(world, as_worker):
    case = CaseFactory(team=world.team_a)
    response = as_worker.post(reverse("cases:close", args=[case.pk]), {"end_reason": "99", "note": "klaar"})
    assert response.status_code == 400
    assert "end_reason" in response.context["form"].errors
    response = as_worker.post(reverse("cases:close", args=[case.pk]), {"end_reason": "19", "note": "Doelen bereikt"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.end_reason, case.end_note) == (Status.AFGESLOTEN, "19", "Doelen bereikt")
    assert case.closed_at is not None
    assert (
        as_worker.post(reverse("cases:note", args=[case.pk]), {"text": "x"}).status_code == 302
    )  # notes stay possible
    assert as_worker.post(reverse("cases:reopen", args=[case.pk]), {"reason": ""}).status_code == 400
    assert as_worker.post(reverse("cases:reopen", args=[case.pk]), {"reason": "Nieuwe vraag"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ONDERZOEK and case.closed_at is None
    assert case.events.first().kind == "reopened"


def test_assign_regisseur_only_from_the_team(world, as_worker):
    case = CaseFactory(team=world.team_a)
    url = reverse("cases:assign", args=[case.pk])
    assert as_worker.post(url, {"regisseur": world.outsider.pk}).status_code == 400
    assert as_worker.post(url, {"regisseur": world.colleague.pk}).status_code == 302
    case.refresh_from_db()
    assert case.regisseur == world.colleague
    assert case.events.get(kind="regisseur").data["new_id"] == world.colleague.pk


def test_outsider_cannot_change_a_case(world, as_outsider):
    case = CaseFactory(team=world.team_a)
    assert as_outsider.post(reverse("cases:status", args=[case.pk]), {"to": Status.INTAKE}).status_code == 404
    assert as_outsider.post(reverse("cases:note", args=[case.pk]), {"text": "x"}).status_code == 404
    assert not CaseEvent.objects.filter(case=case).exists()


def test_timeline_shows_history_in_dutch(world, as_worker):
    case = CaseFactory(team=world.team_a)
    as_worker.post(reverse("cases:status", args=[case.pk]), {"to": Status.INTAKE})
    as_worker.post(reverse("cases:note", args=[case.pk]), {"text": "Gebeld met dochter."})
    html = as_worker.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Status gewijzigd van Aangemeld naar Intake" in html
    assert "Gebeld met dochter." in html


def listed(response) -> list:
    """The cases of a list of open cases, row by row (one row per resident)."""
    return [case for _resident, cases in response.context["rows"] for case in cases]


def test_my_work_shows_cases_visits_and_deadlines(world, as_worker):
    today = timezone.localdate()
    mine = CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=40))
    CaseFactory(team=world.team_a, regisseur=world.colleague)
    ContactFactory(case=mine, professional=world.worker, planned_at=timezone.now() + timedelta(days=2))
    response = as_worker.get(reverse("cases:my_work"))
    assert response.status_code == 200
    assert [c.pk for c in listed(response)] == [mine.pk]
    assert [c.pk for c in response.context["deadlines"]] == [mine.pk]
    assert len(response.context["agenda"]) == 1
    assert "Mijn werk" in response.content.decode()


def test_my_work_query_count_does_not_grow(world, as_worker, django_assert_max_num_queries):
    for _ in range(12):
        case = CaseFactory(team=world.team_a, regisseur=world.worker)
        ContactFactory(case=case, professional=world.worker)
    with django_assert_max_num_queries(12):  # fixed: the panels, the signal answers, unread messages
        response = as_worker.get(reverse("cases:my_work"))
    assert len(listed(response)) == 12


def test_my_open_cases_come_in_pages_of_25_and_the_heading_counts_them_all(world, as_worker):
    today = timezone.localdate()
    cases = [
        CaseFactory(team=world.team_a, regisseur=world.worker, melding_date=today - timedelta(days=index * 2))
        for index in range(27)
    ]
    deadline_order = [c.pk for c in sorted(cases, key=lambda c: (c.onderzoek_due, c.opened_at, c.pk))]
    first = as_worker.get(reverse("cases:my_work"))
    assert [c.pk for c in listed(first)] == deadline_order[:25]
    html = first.content.decode()
    assert "Mijn open zaken: 27 inwoners" in html and 'href="?pagina=2"' in html
    second = as_worker.get(reverse("cases:my_work"), {"pagina": 2})
    assert [c.pk for c in listed(second)] == deadline_order[25:]
    # The deadlines panel lists every running investigation due within two weeks, whatever the page.
    due_soon = {c.pk for c in cases if c.onderzoek_due <= today + timedelta(days=14)}
    assert {c.pk for c in second.context["deadlines"]} == due_soon and due_soon


def test_case_detail_query_count_does_not_grow(world, as_worker, django_assert_max_num_queries):
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    for _ in range(10):
        ContactFactory(case=case, professional=world.worker)
        as_worker.post(reverse("cases:note", args=[case.pk]), {"text": "notitie"})
    with django_assert_max_num_queries(22):
        assert as_worker.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_team_leader_sees_unassigned_count(world):
    CaseFactory(team=world.team_a)
    response = login(world.leader).get(reverse("cases:my_work"))
    assert response.context["unassigned"] == 1


def test_roles_without_casework_are_sent_to_their_own_start_page(world):
    user = UserFactory(role="privacy_officer")
    response = login(user).get(reverse("cases:my_work"))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:review")


def test_planned_visits_are_listed_under_their_local_day(world, as_worker):
    """Half past midnight in Amsterdam is still the day before in UTC: the visit belongs to the
    local day, under one heading per day with the time beside each visit."""
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    tomorrow = timezone.localdate() + timedelta(days=1)
    just_after_midnight = timezone.make_aware(datetime.combine(tomorrow, time(0, 30)))
    ContactFactory(case=case, professional=world.worker, planned_at=just_after_midnight)
    ContactFactory(case=case, professional=world.worker, planned_at=just_after_midnight + timedelta(hours=9))
    response = as_worker.get(reverse("cases:my_work"))
    [(day, contacts)] = response.context["agenda_days"]
    assert day == tomorrow and [c.local_time for c in contacts] == ["00:30", "09:30"]
    html = response.content.decode()
    assert html.count('class="utrecht-heading-3 wt-agenda-day') == 1 and "00:30" in html


def test_the_openable_filter_is_may_open_as_a_query(world):
    """``may_open_visibility`` (lists that show more than the minimal card) and ``may_open``
    (one dossier) are one rule: for every kind of reason, and for none, they agree."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.access import forget_gate_facts, may_open, may_open_visibility
    from cases.models import Case
    from cases.services import case_involve
    from privacy.models import BreakGlass, BreakGlassReason

    regie = CaseFactory(team=world.team_a, regisseur=world.worker)
    waiting = CaseFactory(team=world.team_a, regisseur=None)
    colleagues = CaseFactory(team=world.team_a, regisseur=world.colleague)
    involved = CaseFactory(team=world.team_a, regisseur=world.colleague)
    case_involve(case=involved, user=world.worker, by=world.leader, reason="Schuldhulp")
    opened = CaseFactory(team=world.team_a, regisseur=world.colleague)
    BreakGlass.objects.create(
        case=opened,
        user=world.worker,
        expires_at=timezone.now() + timedelta(hours=8),
        reason=BreakGlassReason.values[0],
        explanation="Vervanging",
    )
    elsewhere = CaseFactory(team=world.team_b, regisseur=world.outsider)
    for user in (world.worker, world.colleague, world.leader, world.outsider):
        forget_gate_facts(user)
        known = Case.objects.visible_to(user)
        assert set(Case.objects.visible_to(user).filter(may_open_visibility(user))) == {
            case for case in known if may_open(user, case)
        }
    forget_gate_facts(world.worker)

    def openable():
        return Case.objects.visible_to(world.worker).filter(may_open_visibility(world.worker))

    assert set(openable()) == {regie, waiting, involved, opened}
    assert colleagues not in openable() and elsewhere not in openable()
