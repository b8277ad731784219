from datetime import date, timedelta

import pytest
from django.urls import reverse

from areas.factories import PostcodeAreaFactory
from conftest import login
from people.factories import ResidentFactory, household_in, valid_bsn
from people.models import Household, Relation, Resident
from privacy.models import AccessLog

pytestmark = pytest.mark.django_db

NEW = reverse("people:resident_new")


def form(**overrides):
    data = {
        "voornamen": "Ingrid",
        "voorvoegsel": "van der",
        "geslachtsnaam": "Meiden",
        "birth_date": "1957-09-29",
        "bsn": "",
        "postcode": "8932 AB",
        "huisnummer": "120",
    }
    data.update(overrides)
    return data


def test_register_a_resident_creates_a_household_in_the_district(world, as_worker):
    PostcodeAreaFactory(postcode4="8932", area=world.area_a)
    response = as_worker.post(NEW, form(bsn="999993185"))
    assert response.status_code == 302
    resident = Resident.objects.get()
    assert resident.bsn == "999993185"
    assert resident.bsn_encrypted and "999993185" not in resident.bsn_encrypted
    assert resident.postcode == "8932AB"
    assert resident.area == world.area_a
    household = Household.objects.get()
    assert household.members.get().relation == Relation.MAIN
    assert response["Location"] == reverse("people:household", args=[household.pk])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "123456789", "elfproef"),
        ("postcode", "89 AB", "postcode"),
        ("birth_date", (date.today() + timedelta(days=2)).isoformat(), "toekomst"),
        ("geslachtsnaam", "", "vereist"),
    ],
)
def test_bad_input_is_refused_beside_the_field_in_dutch(as_worker, field, value, message):
    response = as_worker.post(NEW, form(**{field: value}))
    assert response.status_code == 200
    assert Resident.objects.count() == 0
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field]).lower()
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert 'aria-invalid="true"' in html


def test_the_same_bsn_is_never_registered_twice(world, as_worker):
    ResidentFactory(bsn="999993185")
    response = as_worker.post(NEW, form(bsn="999993185"))
    assert response.status_code == 200
    assert "bsn" in response.context["form"].errors
    assert Resident.objects.count() == 1


def test_same_name_and_birth_date_is_flagged_then_can_be_confirmed(world, as_worker):
    household_in(world.area_a, geslachtsnaam="Meiden", birth_date=date(1957, 9, 29))
    response = as_worker.post(NEW, form())
    assert response.status_code == 200
    assert "confirm_different" in response.context["form"].errors
    assert response.context["duplicates"], "the visible match is shown with a link"
    assert Resident.objects.count() == 1
    response = as_worker.post(NEW, form(confirm_different="on"))
    assert response.status_code == 302
    assert Resident.objects.count() == 2


def test_a_duplicate_in_another_team_is_flagged_without_its_details(world, as_worker):
    household_in(world.area_b, geslachtsnaam="Meiden", birth_date=date(1957, 9, 29))
    response = as_worker.post(NEW, form())
    assert response.context["duplicates"] == []
    assert response.context["hidden_duplicates"] is True


def test_household_page_for_the_team_and_404_for_another_team(world, as_worker, as_outsider):
    household = household_in(world.area_a)
    url = reverse("people:household", args=[household.pk])
    assert as_worker.get(url).status_code == 200
    assert as_outsider.get(url).status_code == 404
    assert login(world.policy).get(url).status_code == 403
    log = AccessLog.objects.get()
    assert (log.user, log.household_id, log.action) == (world.worker, household.pk, "view")


def test_household_page_requires_login(world, client):
    household = household_in(world.area_a)
    response = client.get(reverse("people:household", args=[household.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_add_a_member_and_a_network_member(world, as_worker):
    household = household_in(world.area_a)
    response = as_worker.post(
        reverse("people:member_add", args=[household.pk]),
        form(geslachtsnaam="Jansen", voornamen="Pieter", birth_date="2012-05-01", relation="child", lives_here="on"),
    )
    assert response.status_code == 302
    assert household.members.filter(relation=Relation.CHILD).count() == 1
    main = household.members.get(relation=Relation.MAIN).resident
    response = as_worker.post(
        reverse("people:network_add", args=[main.pk]),
        {"name": "Jan Jansen", "relation": "parent", "support": "Doet eens per drie weken de boodschappen"},
    )
    assert response.status_code == 302
    page = as_worker.get(reverse("people:household", args=[household.pk])).content.decode()
    assert "Doet eens per drie weken de boodschappen" in page


def test_outsider_cannot_add_to_a_household(world, as_outsider):
    household = household_in(world.area_a)
    response = as_outsider.post(reverse("people:member_add", args=[household.pk]), form(relation="child"))
    assert response.status_code == 404
    assert household.members.count() == 1


def test_bsn_is_looked_up_by_keyed_hash(world):
    bsn = valid_bsn(7)
    resident = ResidentFactory(bsn=bsn)
    from privacy.crypto import keyed_hash

    assert Resident.objects.get(bsn_hash=keyed_hash(bsn)) == resident
    assert bsn not in resident.bsn_hash


def test_network_and_case_opening_are_404_for_another_team(world, as_outsider):
    household = household_in(world.area_a)
    resident = household.members.get().resident
    assert as_outsider.get(reverse("people:network_add", args=[resident.pk])).status_code == 404
    response = as_outsider.post(reverse("people:network_add", args=[resident.pk]), {"name": "X", "relation": "parent"})
    assert response.status_code == 404
    assert not resident.network.exists()
    assert as_outsider.get(reverse("cases:open", args=[household.pk])).status_code == 404


def test_a_team_member_not_on_the_case_does_not_add_to_the_network(world):
    """The network is dossier: the team member sees the case's minimal card instead of the form."""
    from cases.factories import CaseFactory

    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    url = reverse("people:network_add", args=[case.resident.pk])
    colleague = login(world.colleague)
    response = colleague.get(url)
    assert response.status_code == 403
    assert reverse("privacy:break_glass", args=[case.pk]) in response.content.decode()
    response = colleague.post(url, {"name": "X", "relation": "parent"})
    assert response.status_code == 403
    assert not case.resident.network.exists()


def test_change_someone_in_the_network_and_the_case_history_keeps_the_old_value(world, as_worker):
    from cases.factories import CaseFactory
    from people.factories import NetworkMemberFactory

    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    father = NetworkMemberFactory(resident=case.resident, name="Jan Jansen", relation="parent", phone="0581-123456")
    household = reverse("people:household", args=[case.household_id])
    edit = reverse("people:network_edit", args=[father.pk])
    assert edit in as_worker.get(household).content.decode()
    page = as_worker.get(edit).content.decode()
    assert 'value="Jan Jansen"' in page and 'value="0581-123456"' in page
    # A correction at the resident's request needs its reason, beside the field; nothing is saved.
    data = {"name": "Jan Jansen", "relation": "parent", "phone": "06-12345678", "support": "Boodschappen"}
    response = as_worker.post(edit, {**data, "rectification": "on"})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    father.refresh_from_db()
    assert father.phone == "0581-123456"
    response = as_worker.post(edit, {**data, "reason": "Nieuw nummer, van de dochter gehoord"})
    assert response.status_code == 302 and response["Location"] == household
    father.refresh_from_db()
    assert (father.phone, father.support) == ("06-12345678", "Boodschappen")
    history = as_worker.get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "0581-123456" in history and "06-12345678" in history and "Nieuw nummer, van de dochter gehoord" in history
    # Saving without a change writes no history.
    from privacy.models import FieldChange

    before = FieldChange.objects.count()
    assert as_worker.post(edit, data).status_code == 302
    assert FieldChange.objects.count() == before


def test_only_who_may_open_the_dossier_changes_the_network(world, as_outsider):
    from cases.factories import CaseFactory
    from people.factories import NetworkMemberFactory

    case = CaseFactory(team=world.team_a, regisseur=world.worker)
    father = NetworkMemberFactory(resident=case.resident, name="Jan Jansen")
    edit = reverse("people:network_edit", args=[father.pk])
    assert as_outsider.get(edit).status_code == 404  # another team: not even that it exists
    assert as_outsider.get(reverse("people:network_edit", args=[father.pk + 1000])).status_code == 404
    colleague = login(world.colleague)  # the same team, not on the case: the minimal card
    assert colleague.get(edit).status_code == 403
    assert colleague.post(edit, {"name": "X", "relation": "parent"}).status_code == 403
    father.refresh_from_db()
    assert father.name == "Jan Jansen"
