"""What the beschikker reads as Dutch readers read it (issue 23): the volume as a sentence, the
whole address, the date of each recent decision; and a beschikker reading a case to decide on it
is no finding in the privacy officer's review, while reading another dossier still is."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from cases.factories import CaseFactory
from conftest import login
from maatwerk.factories import IndicationAdviceFactory, beschikker_of, customised_provision
from maatwerk.services import decision_make
from maatwerk.templatetags.maatwerk import volume
from oversight.review import findings
from people.factories import household_in, valid_bsn
from privacy.models import AccessLog, Action, Purpose

pytestmark = pytest.mark.django_db


def test_volumes_read_as_sentences():
    with override("nl"):
        assert volume(4, "04", "2") == "4 uur per week"
        assert volume(1, "04", "1") == "1 uur per dag"
        assert volume(2, "16", "4") == "2 dagdelen (4 uur) per maand"
        assert volume(1, "14", "6") == "1 etmaal in totaal"
        assert volume(30, "01", "1") == "30 minuten per dag"
        assert volume(250, "83", "4") == "€ 250 per maand"
        assert volume(1500, "82", "") == "1.500 stuks"
        assert volume(None, "04", "2") == ""
    with override("en"):
        assert volume(4, "04", "2") == "4 hours a week"


@pytest.fixture
def decided(world):
    case = CaseFactory(team=world.team_a, household=household_in(world.area_a, bsn=valid_bsn(7)))
    resident = case.resident
    resident.straat, resident.huisnummer, resident.huisletter, resident.postcode = "Kerkstraat", 45, "", "8932CA"
    resident.woonplaats = ""  # no town known: the municipality's name
    resident.save()
    beschikker = beschikker_of(world.municipality)
    advice = IndicationAdviceFactory(case=case, provision=customised_provision(world.municipality), volume=4)
    decision_make(advice=advice, by=beschikker, outcome="toegekend", grounds="Nodig.")
    return advice, beschikker


def test_the_beschikker_reads_volume_address_and_decision_date(world, decided):
    advice, beschikker = decided
    client = login(beschikker)
    page = client.get(reverse("maatwerk:advice", args=[advice.pk])).content.decode()
    assert "4 uur per week" in page and "\u00d7" not in page  # no "4 x Uur"
    assert f"Kerkstraat 45, 8932 CA {world.municipality.name}" in page
    worklist = client.get(reverse("maatwerk:worklist")).content.decode()
    day = date_format(advice.decision.decided_on, "j F Y")
    assert f"beschikt op {day}" in worklist


def test_a_beschikker_deciding_is_no_finding_but_reading_another_dossier_is(world, decided):
    advice, beschikker = decided
    login(beschikker).get(reverse("maatwerk:advice", args=[advice.pk]))  # logged against the case
    assert AccessLog.objects.filter(user=beschikker, case_id=advice.case_id).exists()
    today = timezone.localdate()

    def outside():
        return [
            f
            for f in findings(start=today - timedelta(days=1), end=today)
            if f.rule == "outside" and f.user == beschikker
        ]

    assert outside() == []  # the decision was their work
    other = CaseFactory(team=world.team_b)  # a dossier with nothing to decide
    AccessLog.objects.create(
        user=beschikker, role=beschikker.role, action=Action.VIEW, purpose=Purpose.DECISION, case_id=other.pk
    )
    [finding] = outside()
    assert finding.count == 1
