"""Scenario 3, evaluated: the PGB the family took over (demo/casework.py) is past its evaluation
date. The gespreksvoerder evaluates the plan from the case page: the goal partly reached, the ZRM at
evaluation starting from the latest scores (only what changed needs a reason) beside the start, and
a new plan period. The case goes from "uitvoering" through "evaluatie" and back in that one save; the
evaluation shows on the case and on the plan. Someone of another team gets 404.
"""

import re

from playwright.sync_api import expect

PGB_RESIDENT = "Deepak Sankrityayan"
GOAL = "Week zelf plannen met hulp van de familie"


def test_the_family_plan_is_evaluated_and_continues(journey, new_journey):
    journey.login("sociaalwerker")
    journey.follow(PGB_RESIDENT, step="case")  # from "Mijn werk": one of her open cases
    case_path = journey.page.url.removeprefix(journey.base_url)
    proposal = journey.page.get_by_role("region", name="Voorgestelde volgende stap")
    expect(proposal).to_contain_text("geëvalueerd")  # the evaluation date has passed

    with journey.task("evaluate the plan: goals, ZRM at evaluation, what next"):
        journey.follow("Plan evalueren", within=proposal, step="evaluation-form")
        goal = journey.page.get_by_role("group", name=re.compile(GOAL))
        goal.get_by_label("Deels behaald").check()
        journey.current.inputs += 1
        journey.current.clicks += 1
        journey.fill(re.compile(f"^Toelichting bij {GOAL}"), "Zondagse planning lukt; de administratie nog niet.")
        # The latest scores are filled in: only the changed domain needs its reason.
        network = journey.page.get_by_role("region", name="Sociaal netwerk")
        expect(network).to_contain_text("Bij de start: 3")
        network.get_by_label("4 · Voldoende zelfredzaam").check()
        journey.current.inputs += 1
        journey.current.clicks += 1
        journey.fill("Reden bij Sociaal netwerk", "Zus en ouders doen nu het meeste; ziet ze elke week.")
        # What next: a new plan period (the default), its evaluation date as long as the last period.
        journey.submit("Evaluatie opslaan", step="evaluated")
    expect(journey.page.get_by_role("status")).to_contain_text("Uitvoering")
    plan_panel = journey.page.get_by_role("region", name="Plan van het huishouden")
    expect(plan_panel).to_contain_text("Deels behaald")
    expect(plan_panel).to_contain_text("Sociaal netwerk 3 → 4 (+1)")
    timeline = journey.page.get_by_role("region", name="Tijdlijn")
    expect(timeline).to_contain_text("Plan geëvalueerd: 0 van 1 doelen behaald")
    expect(timeline).to_contain_text("naar Evaluatie: plan geëvalueerd")

    journey.follow("Plan", step="plan-with-evaluation")
    evaluations = journey.page.get_by_role("region", name="Evaluaties")
    expect(evaluations).to_contain_text("Zondagse planning lukt")
    expect(evaluations).to_contain_text("Doorgaan met een nieuwe planperiode")

    outsider = new_journey("outsider_evaluation_404")
    outsider.login("collega")
    outsider.goto(case_path + "evaluatie/", expect_status=404, step="other-teams-evaluation")
    expect(outsider.page.get_by_role("main")).not_to_contain_text("Sankrityayan")
