"""The desk: one screen for a question, its outcome counted, a melding routed by the positioning."""

import time

import pytest
from django.urls import reverse

from areas.models import Positioning
from cases.models import Case
from conftest import login
from intake.models import Outcome, Question, Route
from intake.services import route_for
from partners.factories import OrganisationFactory
from partners.models import OrganisationKind
from people.factories import household_in
from people.models import Resident
from privacy.models import AccessLog, Purpose
from provisions.factories import ProvisionFactory
from zrm.models import LifeDomain


def domains(*codes):
    return [LifeDomain.objects.get(code=code).pk for code in codes]


@pytest.fixture
def resident(world):
    return household_in(world.area_a, geslachtsnaam="Hoekstra").members.get().resident


def post(client, **data):
    payload = {"channel": "balie", "outcome": Outcome.ANSWERED, "started": time.time() - 40, **data}
    return client.post(reverse("intake:desk"), payload)


def test_a_single_domain_question_answered_on_the_spot_is_counted_without_a_case(world, as_worker):
    school = OrganisationFactory(
        municipality=world.municipality, kind=OrganisationKind.SCHOOL, name="OBS De Fonteinen"
    )
    response = post(
        as_worker,
        text="Kind slaapt slecht, wat kunnen we doen?",
        life_domains=domains("huiselijke-relaties"),
        channel="vindplaats",
        vindplaats=school.pk,
        answer="Vast slaapritueel besproken.",
    )
    assert response.status_code == 302 and response.url == reverse("intake:desk")
    question = Question.objects.get()
    assert question.outcome == Outcome.ANSWERED and question.route == Route.NONE
    assert question.case is None and question.resident is None and question.vindplaats == school
    assert 30 <= question.seconds_taken < 60
    assert not Case.objects.exists()
    page = as_worker.get(reverse("intake:desk"))
    assert page.context["today"]["total"] == 1 and page.context["today"]["answered"] == 1


def test_a_vindplaats_must_be_named_and_nothing_is_half_stored(world, as_worker):
    response = post(
        as_worker,
        text="Vraag",
        life_domains=domains("financien"),
        channel="vindplaats",
        outcome=Outcome.MELDING,
        new_geslachtsnaam="Visser",
        new_birth_date="1970-01-01",
        new_postcode="8921AB",
        new_huisnummer="3",
    )
    assert response.status_code == 200
    assert "vindplaats" in response.context["form"].errors
    assert not Question.objects.exists() and not Resident.objects.exists()


def test_referral_to_a_general_provision(world, as_worker):
    provision = ProvisionFactory(municipality=world.municipality, name="Formulierenbrigade")
    response = post(
        as_worker, text="Hulp bij formulieren", life_domains=domains("financien"), outcome=Outcome.REFERRED
    )
    assert response.status_code == 200 and "provision" in response.context["form"].errors
    post(
        as_worker,
        text="Hulp bij formulieren",
        life_domains=domains("financien"),
        outcome=Outcome.REFERRED,
        provision=provision.pk,
    )
    assert Question.objects.get().provision == provision


def test_a_melding_at_a_loket_municipality_opens_a_case_in_the_team(world, as_worker, resident):
    world.municipality.positioning = Positioning.LOKET
    world.municipality.save()
    response = post(
        as_worker,
        resident=resident.pk,
        text="Kan de trap niet meer op.",
        life_domains=domains("basale-adl"),
        outcome=Outcome.MELDING,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert case.team == world.team_a and case.regisseur is None and case.onderzoek_due is not None
    assert Question.objects.get().case == case


def test_a_melding_with_a_new_resident_added_inline(world, as_worker):
    from areas.factories import PostcodeAreaFactory

    PostcodeAreaFactory(postcode4="8921", area=world.area_a)
    post(
        as_worker,
        new_voornamen="Sietske",
        new_geslachtsnaam="Bosma",
        new_birth_date="1956-04-02",
        new_postcode="8921 ab",
        new_huisnummer="12",
        text="Schulden en eenzaam",
        life_domains=domains("financien", "sociaal-netwerk"),
        outcome=Outcome.MELDING,
    )
    case = Case.objects.get()
    assert case.resident.geslachtsnaam == "Bosma" and case.team == world.team_a
    assert case.household.members.count() == 1


@pytest.mark.parametrize(
    ("positioning", "codes", "route", "has_case"),
    [
        (Positioning.LOKET, ["financien"], Route.TEAM, True),
        (Positioning.HYBRIDE, ["financien"], Route.TEAM, True),
        (Positioning.REGIE, ["financien"], Route.WMO_DESK, False),
        (Positioning.REGIE, ["financien", "geestelijke-gezondheid"], Route.TEAM, True),
        (Positioning.NETWERK, ["financien", "geestelijke-gezondheid"], Route.PROFESSIONAL, False),
    ],
)
def test_the_positioning_routes_a_melding(world, as_worker, resident, positioning, codes, route, has_case):
    world.municipality.positioning = positioning
    world.municipality.save()
    post(as_worker, resident=resident.pk, text="Vraag", life_domains=domains(*codes), outcome=Outcome.MELDING)
    question = Question.objects.get()
    assert question.route == route
    assert Case.objects.exists() is has_case


def test_answered_and_referred_questions_never_route(world):
    for positioning in Positioning:
        assert route_for(positioning=positioning, outcome=Outcome.ANSWERED, domain_count=3) == Route.NONE
        assert route_for(positioning=positioning, outcome=Outcome.REFERRED, domain_count=1) == Route.NONE


def test_a_melding_to_the_team_needs_a_resident(world, as_worker):
    response = post(as_worker, text="Vraag", life_domains=domains("financien"), outcome=Outcome.MELDING)
    assert response.status_code == 200 and "resident" in response.context["form"].errors
    assert not Question.objects.exists()


def test_someone_from_another_team_cannot_choose_a_resident_they_may_not_see(world, as_outsider, resident):
    response = post(
        as_outsider, resident=resident.pk, text="Vraag", life_domains=domains("financien"), outcome=Outcome.MELDING
    )
    assert response.status_code == 200 and "resident" in response.context["form"].errors
    assert not Case.objects.exists()


def test_search_as_you_type_shows_only_visible_residents_and_logs_the_search(world, as_worker, as_outsider, resident):
    url = reverse("intake:resident_search")
    response = as_worker.get(url, {"q": "Hoekstra"})
    assert [r.pk for r in response.context["results"]] == [resident.pk]
    assert f'value="{resident.pk}"' in response.content.decode()
    assert AccessLog.objects.filter(purpose=Purpose.INTAKE, detail="name: 1").exists()
    assert list(as_outsider.get(url, {"q": "Hoekstra"}).context["results"]) == []


def test_search_and_desk_query_counts_do_not_grow(world, as_worker, django_assert_max_num_queries):
    for _ in range(15):
        household_in(world.area_a, geslachtsnaam="Hoekstra")
    OrganisationFactory.create_batch(5, municipality=world.municipality, kind=OrganisationKind.SCHOOL)
    with django_assert_max_num_queries(8):
        response = as_worker.get(reverse("intake:resident_search"), {"q": "hoekstra"})
    assert len(response.context["results"]) == 10
    with django_assert_max_num_queries(12):
        assert as_worker.get(reverse("intake:desk")).status_code == 200


def test_only_casework_roles_use_the_desk(world):
    from conftest import login

    assert login(world.policy).get(reverse("intake:desk")).status_code == 403


def test_the_figures_count_every_question_and_list_mine_with_few_queries(
    world, as_worker, django_assert_max_num_queries
):
    from intake.services import question_register

    finance = LifeDomain.objects.get(code="financien")
    for n in range(12):
        question_register(
            by=world.worker,
            municipality=world.municipality,
            text=f"Vraag {n}",
            life_domains=[finance],
            channel="balie",
            outcome=Outcome.ANSWERED,
            seconds_taken=30 + n * 5,
        )
    with django_assert_max_num_queries(12):
        response = as_worker.get(reverse("intake:questions"))
    assert response.context["total"] == 12
    assert dict(response.context["outcomes"])[Outcome.ANSWERED.label] == 12
    assert response.context["quick"] == 6  # 30..55 seconds
    assert len(response.context["mine"]) == 12
    assert login(world.colleague).get(reverse("intake:questions")).context["mine"] == []
