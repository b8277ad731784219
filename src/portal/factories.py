"""A family for the portal's tests: RvIG test persons (data/brp/brp_testpersonen.json, the persons
the demo registers) in one household, each with a case of their own, a household plan and planned
visits."""

import time
from dataclasses import dataclass

from django.test import Client

from cases.factories import CaseFactory
from contacts.factories import ContactFactory
from people.factories import HouseholdMemberFactory, ResidentFactory, household_in
from people.models import Relation
from plans.models import Actor, Source
from plans.services import action_save, arrangement_save, goal_save, plan_start
from portal import session as portal_session
from zrm.models import LifeDomain

# Govert Geus and two of his children, as the BRP test set has them.
BSN_GOVERT, BSN_CHILD, BSN_OTHER_CHILD = "999970008", "999970422", "999970331"


@dataclass
class Family:
    household: object
    govert: object
    child: object
    other_child: object
    case: object
    child_case: object
    plan: object
    visit: object
    child_visit: object


def family(world) -> Family:
    household = household_in(world.area_a, bsn=BSN_GOVERT, voornamen="Govert", geslachtsnaam="Geus")
    govert = household.members.get().resident
    child = ResidentFactory(area=world.area_a, bsn=BSN_CHILD, voornamen="Gijs", geslachtsnaam="Geus")
    other_child = ResidentFactory(area=world.area_a, bsn=BSN_OTHER_CHILD, voornamen="Greet", geslachtsnaam="Geus")
    HouseholdMemberFactory(household=household, resident=child, relation=Relation.CHILD)
    HouseholdMemberFactory(household=household, resident=other_child, relation=Relation.CHILD)
    case = CaseFactory(team=world.team_a, household=household, resident=govert, regisseur=world.worker)
    child_case = CaseFactory(
        team=world.team_a, household=household, resident=child, regisseur=world.worker, question="Schulden van Gijs"
    )
    plan = plan_start(household=household, by=world.worker, summary="Govert woont veilig thuis.")
    goal = goal_save(
        plan=plan,
        expected_version=plan.version,
        by=world.worker,
        domain=LifeDomain.objects.order_by("order").first(),
        description="De post is elke week geopend",
    )
    action_save(
        plan=plan,
        expected_version=plan.version,
        by=world.worker,
        goal=goal,
        description="Opent samen met Gijs de post",
        actor=Actor.RESIDENT,
    )
    arrangement_save(
        plan=plan,
        expected_version=plan.version,
        by=world.worker,
        source=Source.GENERAL,
        description="Formulierenbrigade",
    )
    visit = ContactFactory(case=case, professional=world.worker, note="Interne notitie over Govert")
    child_visit = ContactFactory(case=child_case, professional=world.colleague, note="Interne notitie over Gijs")
    plan.refresh_from_db()
    return Family(household, govert, child, other_child, case, child_case, plan, visit, child_visit)


def resident_client(resident, *, level: str = "substantieel") -> Client:
    """A browser with a resident's session, as ``portal.session.sign_in`` leaves it (the whole
    sign-in through the provider is tested in portal/tests/test_digid.py)."""
    client = Client()
    session = client.session
    now = int(time.time())
    session.update(
        {
            portal_session.RESIDENT: resident.pk,
            portal_session.LOA: level,
            portal_session.SIGNED_IN_AT: now,
            portal_session.LAST_SEEN: now,
        }
    )
    session.save()
    return client
