"""Scenario 7: a practice signal to policy. A social worker raises a pattern she and her colleagues
see; the team leader forwards it to the policy officer; the policy officer answers, and the team
sees the answer. The signal is new in every run, so no other journey depends on it."""

from playwright.sync_api import expect

TITLE = "Bijzondere bijstand afgewezen sinds het nieuwe aanvraagformulier"
ANSWER = "Het formulier krijgt een invulhulp; afwijzingen om een ontbrekende bijlage worden eerst nagebeld."


def test_a_signal_to_policy_and_its_answer(journey, new_journey):
    journey.login("sociaalwerker")
    with journey.task("raise a signal"):
        journey.follow("Signalen naar beleid", step="signals")
        journey.follow("Signaal indienen", step="signal-form")  # the team is filled in: she has one
        journey.fill("Titel", TITLE)
        journey.fill(
            "Wat je ziet",
            "Sinds het aanvraagformulier is veranderd, krijgen bewoners een afwijzing omdat de nieuwe "
            "bijlage over vaste lasten ontbreekt; ze weten niet dat die gevraagd wordt.",
        )
        journey.choose("Wijk", "Huizum-West")
        journey.choose("Thema (leefgebied)", "Financiën")
        journey.fill("Onderbouwing", "Vijf huishoudens in zes weken, bij vier collega's.")
        journey.submit("Signaal indienen", step="signal-raised")
    expect(journey.page.locator(".wt-messages")).to_contain_text("lijst van het teamleidersoverleg")
    signal_path = journey.page.url.removeprefix(journey.base_url)

    leader = new_journey("team_leader_forwards")
    leader.login("teamleider")
    with leader.task("forward the signal to policy"):
        leader.follow("Signalen naar beleid", step="signals")
        meeting = leader.page.get_by_role("table").filter(has_text="Op de lijst van het teamleidersoverleg")
        leader.follow(TITLE, within=meeting, step="signal")
        leader.choose("Beleidsmedewerker", "Rients Zijlstra")  # the answer is due in four weeks
        leader.fill(
            "Toelichting voor de beleidsmedewerker", "Besproken in het teamleidersoverleg; graag voor de raad."
        )
        leader.submit("Doorsturen naar beleid", step="forwarded")
    expect(leader.page.locator(".wt-messages")).to_contain_text("Het signaal is doorgestuurd")

    policy = new_journey("policy_officer_answers")
    policy.login("beleid")
    with policy.task("answer the signal"):
        # Her start page (the districts) lists the signals awaiting her answer.
        awaiting = policy.page.get_by_role("region", name="Signalen naar beleid")
        expect(awaiting).to_contain_text("wacht op je antwoord")
        policy.follow(TITLE, within=awaiting, step="signal")
        expect(policy.page.get_by_role("main")).to_contain_text("Besproken in het teamleidersoverleg")
        policy.fill("Antwoord", ANSWER)
        policy.submit("Antwoord naar het team sturen", step="answered")
    expect(policy.page.locator(".wt-messages")).to_contain_text("zichtbaar voor het team")

    with journey.task("read the answer"):
        journey.follow("Signalen naar beleid", step="signals-answered")
        answered = journey.page.get_by_role("table").filter(has_text="Beantwoord")
        expect(answered.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Rients Zijlstra")
        journey.follow(TITLE, within=answered, step="answer")
    expect(journey.page.get_by_role("region", name="Beleid")).to_contain_text(ANSWER)
    assert journey.page.url.removeprefix(journey.base_url) == signal_path
