"""Need-to-know within the team: a team member who is not on a case sees its minimal card and
opens the full dossier only by stating a reason ("break the glass"), which is logged, reported to
the team leader and, when not reviewed in time, shown to the privacy officer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.factories import UserFactory
from accounts.models import Role
from cases.factories import CaseFactory
from conftest import login
from people.factories import NetworkMemberFactory
from plans.services import plan_start
from privacy.models import AccessLog, BreakGlass, Purpose

pytestmark = pytest.mark.django_db

SECRET_QUESTION = "Schulden bij de woningcorporatie en zorgen om de kinderen."


@pytest.fixture
def case(world):
    """A case of team A with the worker as regisseur; the colleague is in team A but not on it."""
    return CaseFactory(team=world.team_a, regisseur=world.worker, question=SECRET_QUESTION)


@pytest.fixture
def as_colleague(world):
    return login(world.colleague)


def _open_with_reason(client, case, **data):
    payload = {"reason": "stand_in", "explanation": "Collega ziek; inwoner belt over afspraak.", **data}
    return client.post(reverse("privacy:break_glass", args=[case.pk]), payload)


def test_team_member_not_on_the_case_sees_the_minimal_card(world, case, as_colleague):
    response = as_colleague.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert escape(case.resident.display_name) in page
    assert escape(world.worker.get_full_name()) in page  # who to ask: the regisseur
    assert SECRET_QUESTION not in page
    assert 'name="explanation"' in page
    row = AccessLog.objects.get(case_id=case.pk)
    assert (row.user, row.detail) == (world.colleague, "minimal card")


def test_every_page_of_the_dossier_shows_the_card(world, case, as_colleague):
    plan_start(household=case.household, regisseur=world.worker, by=world.worker)
    for url in (
        reverse("zrm:new", args=[case.pk]),
        reverse("plans:conversation_new", args=[case.pk]),
        reverse("plans:plan", args=[case.household_id]),
        reverse("cases:history", args=[case.pk]),
        reverse("people:consents", args=[case.household_id]),
    ):
        response = as_colleague.get(url)
        assert response.status_code == 403, url
        assert reverse("privacy:break_glass", args=[case.pk]) in response.content.decode()
    # and writing is refused the same way, nothing changes
    response = as_colleague.post(reverse("cases:note", args=[case.pk]), {"text": "Toch iets"})
    assert response.status_code == 403
    assert not case.events.filter(note="Toch iets").exists()


def test_outsider_gets_404_on_the_card_and_on_breaking_the_glass(case, as_outsider):
    assert as_outsider.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert _open_with_reason(as_outsider, case).status_code == 404
    assert not BreakGlass.objects.exists()


def test_a_reason_is_required(case, as_colleague):
    response = _open_with_reason(as_colleague, case, explanation="  ")
    assert response.status_code == 400
    assert response.context["form"].errors["explanation"]
    response = _open_with_reason(as_colleague, case, reason="curious")
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not BreakGlass.objects.exists()


def test_breaking_the_glass_opens_the_dossier_for_a_working_day_and_logs_it(world, case, as_colleague):
    url = reverse("cases:detail", args=[case.pk])
    response = _open_with_reason(as_colleague, case, next=url)
    assert response.status_code == 302
    assert response["Location"] == url
    page = as_colleague.get(url)
    assert page.status_code == 200
    assert SECRET_QUESTION in page.content.decode()

    grant = BreakGlass.objects.get()
    assert (grant.user, grant.case, grant.reason) == (world.colleague, case, "stand_in")
    assert timedelta(hours=7) < grant.expires_at - grant.at <= timedelta(hours=8)
    row = AccessLog.objects.get(purpose=Purpose.BREAK_GLASS)
    assert row.detail == "reason: stand_in"  # the code only: the explanation may hold personal data
    assert (row.case_id, row.resident_id) == (case.pk, case.resident_id)

    grant.expires_at = timezone.now() - timedelta(minutes=1)
    grant.save()
    assert as_colleague.get(url).status_code == 403  # the access has ended


def test_next_is_only_followed_within_the_site(case, as_colleague):
    response = _open_with_reason(as_colleague, case, next="https://elders.example/")
    assert response["Location"] == reverse("cases:detail", args=[case.pk])


def test_regisseur_leader_and_unassigned_cases_need_no_reason(world, case, as_worker):
    assert as_worker.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert login(world.leader).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    waiting = CaseFactory(team=world.team_a)  # in the work queue: the whole team triages it
    assert login(world.colleague).get(reverse("cases:detail", args=[waiting.pk])).status_code == 200


def test_household_page_shows_members_and_cases_but_not_the_dossier(world, case, as_colleague):
    NetworkMemberFactory(resident=case.resident, support="Haalt de medicijnen op bij de apotheek")
    page = as_colleague.get(reverse("people:household", args=[case.household_id])).content.decode()
    assert case.reference in page
    assert SECRET_QUESTION not in page
    assert "medicijnen" not in page
    _open_with_reason(as_colleague, case)
    page = as_colleague.get(reverse("people:household", args=[case.household_id])).content.decode()
    assert SECRET_QUESTION in page
    assert "medicijnen" in page


def test_api_answers_with_a_problem(world, case, as_colleague, as_outsider):
    url = reverse("cases_api:case-detail", args=[case.pk])
    response = as_colleague.get(url)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "reason" in response.json()["detail"] or "reden" in response.json()["detail"]
    assert as_outsider.get(url).status_code == 404
    _open_with_reason(as_colleague, case)
    assert as_colleague.get(url).status_code == 200


def test_team_leader_is_told_and_reviews(world, case, as_colleague):
    _open_with_reason(as_colleague, case)
    leader = login(world.leader)
    my_work = leader.get(reverse("cases:my_work")).content.decode()
    assert reverse("privacy:break_glass_list") in my_work
    listing = leader.get(reverse("privacy:break_glass_list"))
    assert listing.status_code == 200
    assert "Collega ziek" in listing.content.decode()
    grant = BreakGlass.objects.get()
    # the colleague cannot review their own access, and social workers have no review list
    assert as_colleague.get(reverse("privacy:break_glass_list")).status_code == 403
    response = leader.post(reverse("privacy:break_glass_review", args=[grant.pk]), {"note": "Besproken"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.review_note) == (world.leader, "Besproken")
    assert "awaits your review" not in leader.get(reverse("cases:my_work")).content.decode()


def test_leader_of_another_team_sees_nothing(world, case, as_colleague):
    _open_with_reason(as_colleague, case)
    other_leader = UserFactory(
        role=Role.TEAM_LEADER, municipality=world.municipality, teams=[world.team_b], leads=True
    )
    client = login(other_leader)
    assert "Collega ziek" not in client.get(reverse("privacy:break_glass_list")).content.decode()
    grant = BreakGlass.objects.get()
    assert client.post(reverse("privacy:break_glass_review", args=[grant.pk])).status_code == 404


def test_privacy_officer_sees_what_was_not_reviewed_in_time(world, case, as_colleague):
    _open_with_reason(as_colleague, case)
    officer = login(UserFactory(role=Role.PRIVACY_OFFICER, municipality=world.municipality))
    review_url = reverse("privacy:review")
    label = "niet op tijd bekeken"
    assert label not in officer.get(review_url).content.decode()  # within the week: the team leader's turn
    BreakGlass.objects.update(at=timezone.now() - timedelta(days=8))
    page = officer.get(review_url).content.decode()
    assert label in page
    assert escape(world.colleague.get_full_name()) in page
    assert "Collega ziek" in officer.get(reverse("privacy:break_glass_list")).content.decode()


def test_the_review_list_shows_what_awaits_review_first(world, case, as_colleague):
    _open_with_reason(as_colleague, case)
    older = BreakGlass.objects.get()
    older.at -= timedelta(days=2)
    older.save()
    newer_case = CaseFactory(team=world.team_a, regisseur=world.worker)
    _open_with_reason(as_colleague, newer_case)
    newer = BreakGlass.objects.get(case=newer_case)
    leader = login(world.leader)
    leader.post(reverse("privacy:break_glass_review", args=[newer.pk]))
    listed = leader.get(reverse("privacy:break_glass_list")).context["grants"]
    assert [grant.pk for grant in listed] == [older.pk, newer.pk]


def test_the_review_list_shows_only_the_most_recent_rows(world, case, as_colleague, monkeypatch):
    from oversight import views

    monkeypatch.setattr(views, "REVIEW_ROWS", 1)
    _open_with_reason(as_colleague, case)
    reviewed = BreakGlass.objects.get()
    reviewed.at -= timedelta(days=2)
    reviewed.save()
    login(world.leader).post(reverse("privacy:break_glass_review", args=[reviewed.pk]))
    _open_with_reason(as_colleague, CaseFactory(team=world.team_a, regisseur=world.worker))
    listed = login(world.leader).get(reverse("privacy:break_glass_list")).context["grants"]
    assert [grant.pk for grant in listed] == [BreakGlass.objects.get(reviewed_at=None).pk]
