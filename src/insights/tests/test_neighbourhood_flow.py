"""Issue 23: an initiative started from the district profile comes filled in; the household that joins
is found by name, case reference, district or theme instead of typing its case number; who raised a
signal hears that an answer came."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from insights.models import InitiativeParticipant
from insights.notifications import unread_signal_answer_count, unread_signal_answers
from insights.services import initiative_start, signal_answer, signal_forward, signal_raise
from people.factories import household_in, valid_bsn
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


def test_an_initiative_from_the_district_profile_comes_filled_in(world):
    theme = LifeDomain.objects.get(code="financien")
    url = reverse("insights:initiative_new")
    leader = login(world.leader)
    form = leader.get(url, {"wijk": world.area_a.cbs_code, "thema": theme.code, "team": world.team_a.pk}).context[
        "form"
    ]
    assert (form.initial["area"], form.initial["theme"], form.initial["team"]) == (
        world.area_a.pk,
        theme.pk,
        world.team_a.pk,
    )
    # no team given: the team the leader leads that serves the district
    form = leader.get(url, {"wijk": world.area_a.cbs_code}).context["form"]
    assert form.initial["team"] == world.team_a.pk and "theme" not in form.initial
    # a team the user does not lead, an unknown district: ignored, never an error
    form = leader.get(url, {"wijk": "WK999999", "team": world.team_b.pk}).context["form"]
    assert "area" not in form.initial and "team" not in form.initial


@pytest.fixture
def initiative(world):
    return initiative_start(
        by=world.leader,
        team=world.team_a,
        name="Taalcafé",
        description="Samen Nederlands oefenen.",
        area=world.area_a,
        budget=Decimal("1000"),
        started_on=timezone.localdate(),
        theme=LifeDomain.objects.get(code="financien"),
    )


def test_the_household_that_joins_is_found_as_you_type(world, initiative, django_assert_max_num_queries):
    case = CaseFactory(team=world.team_a, household=household_in(world.area_a, bsn=valid_bsn(3)))
    case.resident.geslachtsnaam = "Oosterhuis-Nijlân"
    case.resident.refresh_search_text()
    case.resident.save()
    case.life_domains.add(initiative.theme)
    elsewhere = CaseFactory(team=world.team_b, household=household_in(world.area_b, bsn=valid_bsn(4)))
    url = reverse("insights:initiative_households", args=[initiative.pk])
    worker = login(world.worker)
    page = worker.get(reverse("insights:initiative", args=[initiative.pk])).content.decode()
    assert f'hx-get="{url}"' in page  # the search on the initiative's page
    with django_assert_max_num_queries(12):
        found = worker.get(url, {"q": "nijlan"})  # without the circumflex, as people type
    assert found.status_code == 200
    assert [c.pk for c in found.context["cases"]] == [case.pk]
    assert worker.get(url, {"q": case.reference}).context["cases"] == [case]
    # the team leader's question: every open case of the district, or with the theme
    leader = login(world.leader)
    assert leader.get(url, {"wijk": world.area_a.pk}).context["cases"] == [case]
    assert leader.get(url, {"thema": initiative.theme.pk}).context["cases"] == [case]
    assert elsewhere not in leader.get(url).context["cases"]  # another team's case is never listed
    # the result's button links the household
    response = worker.post(
        reverse("insights:initiative", args=[initiative.pk]), {"action": "join", "reference": case.reference}
    )
    assert response.status_code == 302
    assert InitiativeParticipant.objects.filter(initiative=initiative, household=case.household).exists()
    assert "doet mee" in worker.get(url, {"q": "nijlan"}).content.decode()  # no second button
    # someone of another team gets nothing
    assert login(world.outsider).get(url, {"q": "nijlan"}).status_code == 403


def test_who_raised_a_signal_hears_that_the_answer_came(world):
    signal = signal_raise(by=world.worker, team=world.team_a, title="Toeslag kwijt", description="Steeds vaker.")
    signal_forward(signal=signal, by=world.leader, to=world.policy, due_on=timezone.localdate() + timedelta(days=14))
    worker = login(world.worker)
    assert "Toeslag kwijt" not in worker.get(reverse("cases:my_work")).content.decode()
    signal_answer(signal=signal, by=world.policy, answer="Het formulier wordt aangepast.")
    assert unread_signal_answer_count(world.worker) == 1
    assert [s.pk for s in unread_signal_answers(world.worker)] == [signal.pk]
    assert unread_signal_answer_count(world.leader) == 0  # only who raised it
    start = worker.get(reverse("cases:my_work")).content.decode()
    assert "Toeslag kwijt" in start and "Beleid beantwoordde 1 signaal" in start
    worker.get(reverse("insights:signal", args=[signal.pk]))  # reading the answer
    assert unread_signal_answer_count(world.worker) == 0
    assert "Toeslag kwijt" not in worker.get(reverse("cases:my_work")).content.decode()


def test_only_the_leader_lists_the_teams_cases_by_district_or_life_domain(world, initiative):
    """A list by life domain (mental health, addiction...) tells more than the minimal card: a
    team member finds only the cases they may open in full; the district and theme are the team
    leader's question."""
    theirs = CaseFactory(
        team=world.team_a, regisseur=world.colleague, household=household_in(world.area_a, bsn=valid_bsn(5))
    )
    theirs.life_domains.add(initiative.theme)
    mine = CaseFactory(
        team=world.team_a, regisseur=world.worker, household=household_in(world.area_a, bsn=valid_bsn(6))
    )
    mine.life_domains.add(initiative.theme)
    url = reverse("insights:initiative_households", args=[initiative.pk])
    worker = login(world.worker)
    page = worker.get(reverse("insights:initiative", args=[initiative.pk]))
    assert "wijk" not in page.context["search"].fields and 'name="thema"' not in page.content.decode()
    for query in ({"thema": initiative.theme.pk}, {"wijk": world.area_a.pk}, {}):
        assert worker.get(url, query).context["cases"] == [mine]
    assert worker.get(url, {"q": theirs.reference}).context["cases"] == []
    leader = login(world.leader)
    assert 'name="thema"' in leader.get(reverse("insights:initiative", args=[initiative.pk])).content.decode()
    assert {c.pk for c in leader.get(url, {"thema": initiative.theme.pk}).context["cases"]} == {theirs.pk, mine.pk}
