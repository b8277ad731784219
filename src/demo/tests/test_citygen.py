"""The synthetic city for benchmarks: the right numbers, consistent links, deterministic."""

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Role, User
from cases.models import Case, CaseEvent
from contacts.models import Contact
from demo.citygen import SCALES
from insights.models import Figure
from intake.models import PartnerToken, Referral
from partners.models import Organisation
from people.models import Household, Resident
from people.validators import is_valid_bsn
from plans.models import Goal, Plan, PlanVersion
from privacy.models import AccessLog
from teams.models import Team
from zrm.models import Assessment, DomainScore

pytestmark = pytest.mark.django_db

PINNED = "40711e4f7a8c02a5"


def generate():
    call_command("generate_city", scale="tiny", today=date(2026, 11, 23), stdout=io.StringIO())


def test_tiny_city_has_the_numbers_of_its_scale():
    generate()
    scale = SCALES["tiny"]
    assert Resident.objects.count() == scale.residents
    assert Household.objects.count() == scale.households
    assert Case.objects.count() == scale.cases
    assert AccessLog.objects.count() == scale.access_log
    assert Contact.objects.count() == scale.contacts
    # One team per district at least, each with a leader and a worker; else the scale's number.
    professionals = User.objects.exclude(role=Role.POLICY_OFFICER)
    assert professionals.count() == max(scale.professionals, 2 * Team.objects.count())
    assert Plan.objects.count() == scale.plans
    assert Goal.objects.count() >= scale.plans
    assert PlanVersion.objects.count() == scale.plans
    assert scale.assessments <= Assessment.objects.count() <= scale.assessments + 1
    assert DomainScore.objects.count() >= scale.assessments
    assert CaseEvent.objects.filter(kind="opened").count() == scale.cases
    # Every case's main person belongs to its household, and BSNs pass the eleven-test.
    for case in Case.objects.select_related("resident")[:50]:
        assert case.household.members.filter(resident=case.resident).exists()
        assert is_valid_bsn(case.resident.bsn)
    # Open cases started within the last year; the access log reads cases of the reader's team.
    # A plan's regisseur is a professional of a case of its household.
    plan = Plan.objects.first()
    assert plan.household.cases.filter(regisseur=plan.regisseur).exists()
    log = AccessLog.objects.first()
    assert Case.objects.get(pk=log.case_id).team.memberships.filter(user_id=log.user_id).exists()


def fingerprint() -> str:
    """What the generator decided, independent of database ids: names, dates, statuses."""
    residents = Resident.objects.order_by("pk").values_list("voornamen", "geslachtsnaam", "birth_date", "postcode")
    cases = Case.objects.order_by("pk").values_list("status", "melding_date", "question", "closed_at")
    text = repr(list(residents)) + repr(list(cases))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_tiny_city_has_what_the_policy_and_intake_pages_read():
    generate()
    scale = SCALES["tiny"]
    policy = User.objects.get(role=Role.POLICY_OFFICER)
    assert policy.municipality.cbs_code == "GM0080"
    # A GP practice per district and five city-wide partners, each with one API key (a hash).
    organisations = Organisation.objects.count()
    assert organisations == policy.municipality.areas.filter(kind="wijk").count() + 5
    assert PartnerToken.objects.filter(revoked_at__isnull=True).count() == organisations
    assert all(len(t.key_hash) == 64 for t in PartnerToken.objects.all())
    # One in ten cases came in by referral; every team with cases has referrals waiting.
    taken_up = Referral.objects.filter(case__isnull=False)
    assert taken_up.count() == scale.cases // 10
    referral = taken_up.select_related("case").first()
    assert referral.team_id == referral.case.team_id
    assert referral.received_at.date() < referral.case.melding_date + timedelta(days=1)
    waiting = Referral.objects.waiting()
    assert set(waiting.values_list("team", flat=True)) == set(Case.objects.values_list("team", flat=True))
    # The published CBS figures of the municipality and its districts (data/).
    assert Figure.objects.filter(region_code="GM0080").exists()
    assert Figure.objects.filter(area__municipality=policy.municipality).exists()


def test_generation_is_deterministic_and_refuses_a_filled_database():
    generate()
    # Pinned: a change to the generator that changes the city must update this on purpose.
    assert fingerprint() == PINNED
    with pytest.raises(CommandError, match="empty database"):
        generate()
