"""Representation in Mijn Wijkteam: the team registers a parent (for a child under 16) or a legal
representative on a resident; the representative, signed in with their own DigiD, switches to the
represented resident and sees that resident's portal, only theirs, logged with the representative
in the detail (no BSN). A child of 16 or older is not represented by a parent."""

import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from people.models import Representation, RepresentationKind
from portal.factories import BSN_GOVERT
from privacy.models import AccessLog, FieldChange

from .conftest import resident_client

URL = "people:representations"


def _years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    born = today.replace(year=today.year - years)
    return born.fromordinal(born.toordinal() + days)


@pytest.fixture
def young_child(family):
    family.child.birth_date = _years_ago(10)
    family.child.save()
    return family.child


def _register(client, family, resident, kind=RepresentationKind.PARENT, bsn=BSN_GOVERT):
    return client.post(
        reverse(URL, args=[family.household.pk]),
        {"resident": resident.pk, "representative_bsn": bsn, "kind": kind},
    )


def test_the_team_registers_a_parent_for_a_child_under_16(world, family, young_child):
    worker = login(world.worker)
    household_page = worker.get(reverse("people:household", args=[family.household.pk])).content.decode()
    assert reverse(URL, args=[family.household.pk]) in household_page
    assert worker.get(reverse(URL, args=[family.household.pk])).status_code == 200
    assert _register(worker, family, young_child).status_code == 302
    representation = Representation.objects.get()
    assert (representation.resident, representation.representative, representation.kind) == (
        young_child,
        family.govert,
        RepresentationKind.PARENT,
    )
    assert representation.registered_by == world.worker
    assert FieldChange.objects.filter(resident=young_child, record="people.representation", field="kind").exists()
    page = worker.get(reverse(URL, args=[family.household.pk])).content.decode()
    assert "Govert Geus" in page and "Ouder (kind jonger dan 16)" in page


def test_a_child_of_16_is_not_represented_by_a_parent(world, family):
    family.child.birth_date = _years_ago(16)  # turns 16 today
    family.child.save()
    response = _register(login(world.worker), family, family.child)
    assert response.status_code == 400
    assert "16 jaar of ouder" in response.content.decode()
    assert not Representation.objects.exists()
    # a curator is registered whatever the age
    assert _register(login(world.worker), family, family.child, kind=RepresentationKind.CURATOR).status_code == 302


def test_an_unknown_bsn_or_oneself_is_refused(world, family, young_child):
    worker = login(world.worker)
    unknown = _register(worker, family, young_child, bsn="999990019")
    assert unknown.status_code == 400
    assert "Registreer de vertegenwoordiger eerst als inwoner" in unknown.content.decode()
    own = _register(worker, family, family.govert, kind=RepresentationKind.MENTOR)
    assert own.status_code == 400
    assert not Representation.objects.exists()


def test_another_team_gets_404(world, family, young_child):
    outsider = login(world.outsider)
    assert outsider.get(reverse(URL, args=[family.household.pk])).status_code == 404
    assert _register(outsider, family, young_child).status_code == 404
    representation = Representation.objects.create(
        resident=young_child, representative=family.govert, kind=RepresentationKind.PARENT, registered_by=world.worker
    )
    end = reverse("people:representation_end", args=[family.household.pk, representation.pk])
    assert outsider.post(end).status_code == 404
    representation.refresh_from_db()
    assert representation.ended_on is None


def test_the_parent_acts_for_the_child_and_sees_only_the_childs_portal(world, family, young_child):
    representation = Representation.objects.create(
        resident=young_child, representative=family.govert, kind=RepresentationKind.PARENT, registered_by=world.worker
    )
    client = resident_client(family.govert)
    home = client.get(reverse("portal:home")).content.decode()
    switch = reverse("portal:act_for", args=[representation.pk])
    assert switch in home
    assert client.post(switch).status_code == 302
    before = AccessLog.objects.count()
    child_home = client.get(reverse("portal:home")).content.decode()
    assert "Schulden van Gijs" not in child_home  # the case's question is no portal content; the name is
    assert "U, Govert Geus, handelt namens Gijs Geus" in child_home
    assert str(world.colleague.get_full_name() or world.colleague) in child_home  # the child's visit
    assert "Welkom, Gijs Geus" in child_home
    row = AccessLog.objects.order_by("pk")[before]
    assert row.resident_id == young_child.pk and row.user_id is None and row.role == "resident"
    assert row.detail == f"Mijn Wijkteam: start (representative: resident {family.govert.pk}, ouder)"
    assert BSN_GOVERT not in row.detail and young_child.bsn not in row.detail
    # the child's own file, not the parent's
    data = json.loads(client.get(reverse("portal:own_file_download", args=["json"])).content)
    assert data["resident"]["name"] == "Gijs Geus"
    assert [(r["who"], r["as"]) for r in data["representatives"]] == [("Govert Geus", "Ouder (kind jonger dan 16)")]
    # back to oneself
    assert client.post(reverse("portal:act_as_self")).status_code == 302
    assert "handelt namens" not in client.get(reverse("portal:home")).content.decode()


def test_no_switch_without_a_valid_representation(world, family, young_child):
    other = Representation.objects.create(
        resident=family.other_child,
        representative=family.child,
        kind=RepresentationKind.MENTOR,
        registered_by=world.worker,
    )
    client = resident_client(family.govert)
    assert client.post(reverse("portal:act_for", args=[other.pk])).status_code == 404
    assert client.post(reverse("portal:act_for", args=[999999])).status_code == 404
    ended = Representation.objects.create(
        resident=young_child,
        representative=family.govert,
        kind=RepresentationKind.PARENT,
        registered_by=world.worker,
        ended_on=timezone.localdate(),
    )
    assert client.post(reverse("portal:act_for", args=[ended.pk])).status_code == 404


def test_acting_stops_when_the_representation_ends_or_the_child_turns_16(world, family, young_child):
    representation = Representation.objects.create(
        resident=young_child, representative=family.govert, kind=RepresentationKind.PARENT, registered_by=world.worker
    )
    client = resident_client(family.govert)
    client.post(reverse("portal:act_for", args=[representation.pk]))
    assert "handelt namens" in client.get(reverse("portal:home")).content.decode()
    young_child.birth_date = _years_ago(16)
    young_child.save()
    page = client.get(reverse("portal:home")).content.decode()
    assert "handelt namens" not in page
    assert "Welkom, Govert Geus" in page
    assert reverse("portal:act_for", args=[representation.pk]) not in page

    young_child.birth_date = _years_ago(10)
    young_child.save()
    client.post(reverse("portal:act_for", args=[representation.pk]))
    end = reverse("people:representation_end", args=[family.household.pk, representation.pk])
    assert login(world.worker).post(end).status_code == 302
    assert "handelt namens" not in client.get(reverse("portal:home")).content.decode()
