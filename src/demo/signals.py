"""Scenario 7 in the demo: practice signals of Nijlân & Huizum, one answered and one on the meeting list."""

from datetime import date, timedelta

from accounts.models import User
from insights.services import signal_answer, signal_forward, signal_raise
from teams.models import Team


def build_signals(teams: dict[str, Team], today: date) -> int:
    team = teams["Wijkteam Nijlân & Huizum"]
    worker = User.objects.get(username="sociaalwerker")
    leader = User.objects.get(username="teamleider")
    policy = User.objects.get(username="beleid")
    area = team.areas.order_by("cbs_code").last()
    answered = signal_raise(
        by=worker,
        team=team,
        title="Huurtoeslag stopgezet na nieuw wijzigingsformulier",
        description=(
            "Sinds het wijzigingsformulier is aangepast, zien meerdere collega's bewoners hun huurtoeslag "
            "verliezen: de nieuwe vraag naar het inkomen van inwonende kinderen wordt vaak overgeslagen."
        ),
        area=area,
        evidence="Zes huishoudens in twee maanden, bij drie collega's.",
    )
    signal_forward(
        signal=answered,
        by=leader,
        to=policy,
        due_on=today + timedelta(days=21),
        note="Besproken in het teamleidersoverleg.",
    )
    signal_answer(
        signal=answered,
        by=policy,
        answer=(
            "Het formulier krijgt een toelichting bij de vraag over inwonende kinderen, en de gemeente "
            "belt bewoners na bij een onvolledige aanvraag in plaats van die af te wijzen."
        ),
    )
    signal_raise(
        by=worker,
        team=team,
        title="Wachtlijst schuldhulp loopt op",
        description="Bewoners wachten langer dan acht weken op een eerste gesprek bij de schuldhulpverlening.",
        area=area,
    )
    return 2
