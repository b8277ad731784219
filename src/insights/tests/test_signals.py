"""Scenario 7: a practice signal goes from the team to policy and the answer comes back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Role
from conftest import login
from insights.models import Signal, SignalStatus
from insights.services import signal_forward, signal_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal(world):
    return signal_raise(
        by=world.worker,
        team=world.team_a,
        title="Toeslag kwijt door nieuw formulier",
        description="Meerdere bewoners verliezen hun huurtoeslag sinds het formulier is veranderd.",
        area=world.area_a,
    )


def test_scenario_7_raise_forward_answer(world):
    worker, leader, policy = login(world.worker), login(world.leader), login(world.policy)
    response = worker.post(
        reverse("insights:signal_new"),
        {
            "team": world.team_a.pk,
            "title": "Toeslag kwijt door nieuw formulier",
            "description": "Meerdere bewoners verliezen hun huurtoeslag sinds het formulier is veranderd.",
            "area": world.area_a.pk,
            "evidence": "Vijf huishoudens in twee maanden.",
        },
    )
    signal = Signal.objects.get()
    assert response.url == reverse("insights:signal", args=[signal.pk])
    assert list(leader.get(reverse("insights:signals")).context["meeting"]) == [signal]

    due = timezone.localdate() + timedelta(days=14)
    response = leader.post(
        reverse("insights:signal", args=[signal.pk]),
        {"policy_officer": world.policy.pk, "due_on": due.isoformat(), "note": "Graag voor de raadsvergadering."},
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert (signal.status, signal.policy_officer, signal.due_on) == (SignalStatus.FORWARDED, world.policy, due)
    assert list(policy.get(reverse("insights:signals")).context["forwarded"]) == [signal]

    response = policy.post(
        reverse("insights:signal", args=[signal.pk]), {"answer": "Het formulier krijgt een toelichting."}
    )
    assert response.status_code == 302
    page = worker.get(reverse("insights:signal", args=[signal.pk])).content.decode()
    assert "Het formulier krijgt een toelichting." in page
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ANSWERED and signal.answered_by == world.policy


def test_overdue_signals_on_the_team_leaders_list(world, signal):
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate())
    Signal.objects.filter(pk=signal.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    response = login(world.leader).get(reverse("insights:signals"))
    assert [s.pk for s in response.context["overdue"]] == [signal.pk]
    assert "wt-overdue" in response.content.decode()


def test_the_forward_form_offers_its_due_date_as_the_date_field_reads_it(world, signal):
    """The browser's date field only takes an ISO date: a localised "21-12-2026" shows as empty."""
    page = login(world.leader).get(reverse("insights:signal", args=[signal.pk])).content.decode()
    due = (timezone.localdate() + timedelta(weeks=4)).isoformat()
    assert f'type="date" name="due_on" value="{due}"' in page


def test_only_the_team_leader_forwards(world, signal):
    response = login(world.worker).post(
        reverse("insights:signal", args=[signal.pk]),
        {"policy_officer": world.policy.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert Signal.objects.get().status == SignalStatus.RAISED


def test_forward_refuses_a_past_due_date_and_a_non_policy_user(world, signal):
    leader = login(world.leader)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert (
        leader.post(
            reverse("insights:signal", args=[signal.pk]), {"policy_officer": world.policy.pk, "due_on": past}
        ).status_code
        == 400
    )
    response = leader.post(
        reverse("insights:signal", args=[signal.pk]),
        {"policy_officer": world.worker.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert Signal.objects.get().status == SignalStatus.RAISED


def test_another_team_and_another_policy_officer_get_404(world, signal):
    assert login(world.outsider).get(reverse("insights:signal", args=[signal.pk])).status_code == 404
    assert (
        login(world.policy).get(reverse("insights:signal", args=[signal.pk])).status_code == 404
    )  # not forwarded yet
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate())
    other_policy = UserFactory(role=Role.POLICY_OFFICER, municipality=world.municipality)
    assert login(other_policy).get(reverse("insights:signal", args=[signal.pk])).status_code == 404
    assert login(world.policy).get(reverse("insights:signal", args=[signal.pk])).status_code == 200


def test_cannot_raise_for_a_team_one_is_not_in(world):
    response = login(world.outsider).post(
        reverse("insights:signal_new"), {"team": world.team_a.pk, "title": "x", "description": "y"}
    )
    assert response.status_code == 400
    assert not Signal.objects.exists()


def test_signal_list_queries_do_not_grow(world, django_assert_max_num_queries):
    for n in range(15):
        signal = signal_raise(
            by=world.worker, team=world.team_a, title=f"Signaal {n}", description="...", area=world.area_a
        )
        if n % 2:
            signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate())
    client = login(world.leader)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("insights:signals")).status_code == 200


def test_dashboard_panel_for_team_leaders(world, signal, rf):
    from django.template import Context, Template

    other = signal_raise(by=world.worker, team=world.team_a, title="Te laat", description="...")
    signal_forward(signal=other, by=world.leader, to=world.policy, due_on=timezone.localdate())
    Signal.objects.filter(pk=other.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    template = Template("{% load insights %}{% signals_for_dashboard %}")
    request = rf.get("/")
    request.user = world.leader
    html = template.render(Context({"request": request}))
    assert "Te laat" in html and "wt-overdue" in html
    assert 'href="/signalen/"' in html
    request.user = world.worker
    assert template.render(Context({"request": request})).strip() == ""


def test_a_policy_officer_finds_the_signals_awaiting_an_answer_on_her_start_page(
    world, signal, django_assert_max_num_queries
):
    today = timezone.localdate()
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=today + timedelta(days=10))
    late = signal_raise(by=world.worker, team=world.team_a, title="Wachtlijst schuldhulp", description="...")
    signal_forward(signal=late, by=world.leader, to=world.policy, due_on=today)
    Signal.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    other_officer = UserFactory(role=Role.POLICY_OFFICER, municipality=world.municipality)
    elsewhere = signal_raise(by=world.worker, team=world.team_a, title="Voor een ander", description="...")
    signal_forward(signal=elsewhere, by=world.leader, to=other_officer, due_on=today)
    client = login(world.policy)
    # Mijn werk is for casework: her menu and her sign-in lead to the districts, which list them.
    assert client.get(reverse("cases:my_work"))["Location"] == reverse("insights:districts")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("insights:districts"))
    html = response.content.decode()
    assert "2 signalen van teams wachten op je antwoord." in html
    assert html.index("Wachtlijst schuldhulp") < html.index(signal.title)  # the overdue one first
    assert "antwoord te laat sinds" in html and "Voor een ander" not in html
    assert f'href="{reverse("insights:signal", args=[late.pk])}"' in html
    # Once answered it leaves the list.
    client.post(reverse("insights:signal", args=[late.pk]), {"answer": "De wachtlijst wordt besproken."})
    client.post(reverse("insights:signal", args=[signal.pk]), {"answer": "Het formulier krijgt een toelichting."})
    start_page = client.get(reverse("insights:districts")).content.decode()
    assert "Geen signaal van een team wacht op je antwoord." in start_page


def test_the_policy_officers_start_page_shows_what_awaits_her_answer(world, signal):
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate())
    client = login(world.policy)
    assert world.policy.home_url() == reverse("insights:districts")
    html = client.get(reverse("insights:districts")).content.decode()
    assert "1 signaal van een team wacht op je antwoord." in html and signal.title in html
    # A team leader's districts page does not repeat the panel of his Mijn werk.
    assert signal.title not in login(world.leader).get(reverse("insights:districts")).content.decode()


def test_answers_given_before_the_deploy_count_as_read(world, signal):
    """Migration insights 0011: a signal answered before ``answer_read_at`` existed is not news."""
    import importlib

    from django.apps import apps

    from insights.notifications import unread_signal_answer_count

    migration = importlib.import_module("insights.migrations.0011_signal_answer_read_existing")
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate() + timedelta(days=14))
    earlier = Signal.objects.get(pk=signal.pk)
    earlier.status, earlier.answer, earlier.answered_by = SignalStatus.ANSWERED, "Opgelost.", world.policy
    earlier.answered_at = timezone.now() - timedelta(days=3)
    earlier.save()
    open_one = signal_raise(by=world.worker, team=world.team_a, title="Nog open", description="Nog geen antwoord.")
    assert unread_signal_answer_count(world.worker) == 1

    migration.mark_earlier_answers_read(apps, None)

    earlier.refresh_from_db()
    open_one.refresh_from_db()
    assert earlier.answer_read_at == earlier.answered_at
    assert open_one.answer_read_at is None
    assert unread_signal_answer_count(world.worker) == 0
