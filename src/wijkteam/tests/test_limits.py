"""Amounts and dates have sensible bounds, the same in forms, the API and the OpenAPI schema
(issue 18, item 10): a fuzz run left an initiative showing EUR 39 billion spent, with an expense
dated 9999-12-31."""

from datetime import timedelta
from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from conftest import login
from insights.models import Initiative, InitiativeExpense
from insights.services import initiative_spend, initiative_start
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.models import Decision
from wijkteam.limits import MAX_AMOUNT, MAX_BUDGET, MAX_DECISION_COST, euros

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _start(world, budget="30000.00", started_on=None):
    return initiative_start(
        by=world.leader,
        team=world.team_a,
        name="Taalcafé",
        description="Samen Nederlands oefenen.",
        area=world.area_a,
        budget=Decimal(budget),
        started_on=started_on or timezone.localdate() - timedelta(days=30),
    )


def test_euros_are_written_as_dutch_readers_expect():
    assert euros(Decimal("1250")) == "€ 1.250"
    assert euros(MAX_BUDGET) == "€ 1.000.000"
    assert euros(Decimal("0.01")) == "€ 0,01"


@pytest.mark.parametrize("budget", ["9999999999.99", "1000000.01", "0.50", "-5"])
def test_an_initiative_budget_out_of_bounds_is_refused_by_form_api_and_service(world, budget):
    form = login(world.leader).post(
        reverse("insights:initiative_new"),
        {
            "team": world.team_a.pk,
            "name": "Taalcafé",
            "description": "Samen Nederlands oefenen.",
            "area": world.area_a.pk,
            "budget": budget,
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert form.status_code == 400
    assert "€ 1.000.000" in form.content.decode() or "€ 1 " in form.content.decode()
    api = login(world.leader).post(
        f"{API}/initiatives/",
        {
            "team": world.team_a.pk,
            "name": "Taalcafé",
            "description": "Samen.",
            "area": world.area_a.cbs_code,
            "budget": budget,
            "started_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    assert [p["name"] for p in api.json()["invalid_params"]] == ["budget"]
    with pytest.raises(ValidationError) as refused:
        _start(world, budget=budget)
    assert "budget" in refused.value.message_dict
    assert not Initiative.objects.exists()


def test_the_largest_budget_is_accepted(world):
    assert _start(world, budget=str(MAX_BUDGET)).budget == MAX_BUDGET


@pytest.mark.parametrize(
    ("spent_on", "amount", "field"),
    [
        ("9999-12-31", "10.00", "spent_on"),  # the fuzz run's date: out of every date field's range
        ("2098-12-31", "10.00", "spent_on"),  # in range, but in the future
        ("today-40", "10.00", "spent_on"),  # before the initiative started (30 days ago)
        ("today", "250000.01", "amount"),
        ("today", "9999999999.99", "amount"),
        ("today", "0.00", "amount"),
    ],
)
def test_an_expense_out_of_bounds_is_refused_by_form_api_and_service(world, spent_on, amount, field):
    initiative = _start(world)
    today = timezone.localdate()
    day = {"today": today, "today-40": today - timedelta(days=40)}.get(spent_on)
    text = day.isoformat() if day else spent_on
    form = login(world.leader).post(
        reverse("insights:initiative", args=[initiative.pk]),
        {"action": "expense", "spent_on": text, "amount": amount, "description": "Zaalhuur"},
    )
    assert form.status_code == 400
    api = login(world.leader).post(
        f"{API}/initiatives/{initiative.pk}/expenses/",
        {"spent_on": text, "amount": amount, "description": "Zaalhuur"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert [p["name"] for p in api.json()["invalid_params"]] == [field]
    if day is not None:
        with pytest.raises(ValidationError) as refused:
            initiative_spend(
                initiative=initiative, by=world.leader, spent_on=day, amount=Decimal(amount), description="Zaalhuur"
            )
        assert field in refused.value.message_dict
    assert not InitiativeExpense.objects.exists()


def test_an_expense_within_bounds_is_recorded(world):
    initiative = _start(world)
    for day in (initiative.started_on, timezone.localdate()):
        initiative_spend(initiative=initiative, by=world.leader, spent_on=day, amount=MAX_AMOUNT, description="Zaal")
    assert InitiativeExpense.objects.count() == 2


def test_the_openapi_schema_states_the_bounds():
    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8"))
    components = schema["components"]["schemas"]
    budget = components["InitiativeInRequest"]["properties"]["budget"]
    assert (budget["minimum"], budget["maximum"]) == (1, MAX_BUDGET)
    amount = components["ExpenseInRequest"]["properties"]["amount"]
    assert (Decimal(str(amount["minimum"])), amount["maximum"]) == (Decimal("0.01"), MAX_AMOUNT)
    assert "1900-01-01 to 2099-12-31" in schema["info"]["description"]


def test_a_decision_that_would_cost_more_than_any_can_is_refused_not_a_server_error(world):
    """The largest volume the iWmo message allows (8 digits), per day, open-ended: billions."""
    provision = customised_provision(world.municipality, price="31.50")
    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    advice = IndicationAdviceFactory(case=case, provision=provision, volume=1, frequency="1")
    client = login(world.worker)
    response = client.post(
        reverse("maatwerk:case", args=[advice.case.pk]),
        {
            "provision": provision.pk,
            "volume": "99999999",
            "frequency": "1",
            "starts_on": timezone.localdate().isoformat(),
            "delivery_form": "pgb",
            "grounds": "Veel zorg nodig.",
            "aanvraag_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code in {200, 400}
    assert euros(MAX_DECISION_COST) in response.content.decode()
    beschikker = beschikker_of(world.municipality)
    decided = login(beschikker).post(
        reverse("maatwerk:advice", args=[advice.pk]),
        {
            "outcome": "toegekend",
            "grounds": "Past.",
            "volume": "99999999",
            "frequency": "1",
            "starts_on": timezone.localdate().isoformat(),
            "delivery_form": "pgb",
        },
    )
    assert decided.status_code in {200, 400}
    assert euros(MAX_DECISION_COST) in decided.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "unit_price", "field"),
    [("1", "99999999.99", "unit_price"), ("999999.99", "250000.00", "quantity")],
)
def test_an_arrangement_that_would_cost_more_than_any_can_is_refused(world, quantity, unit_price, field):
    """Every week for fifty years at the largest quantity: the plan's API would fail on its cost."""
    from plans.models import Arrangement, Plan

    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    client = login(world.worker)
    client.post(reverse("plans:start", args=[case.household_id]))
    plan = Plan.objects.get(household=case.household)
    today = timezone.localdate()
    data = {
        "version": plan.version,
        "source": "natura",
        "description": "Hulp in huis",
        "frequency": "week",
        "quantity": quantity,
        "unit_price": unit_price,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=365 * 50)).isoformat(),
    }
    response = client.post(
        reverse("plans:edit", args=[case.household_id, "regeling"]), {f"regeling-{k}": v for k, v in data.items()}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Arrangement.objects.exists()
    assert client.get(f"{API}/households/{case.household_id}/plan/").status_code == 200
