"""Address to district by postcode AND house number (CBS's address file); where the data cannot
decide, the person registering chooses from the candidate districts; a corrected district moves the
household to the right team, kept in its history."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from areas.factories import AreaFactory, PostcodeAreaFactory
from areas.models import AddressPoint
from conftest import login
from people.models import Household, Resident
from privacy.models import FieldChange

pytestmark = pytest.mark.django_db

NEW = reverse("people:resident_new")


def form(**overrides):
    data = {"voornamen": "Ingrid", "geslachtsnaam": "Meiden", "birth_date": "1957-09-29", "bsn": ""}
    data.update(overrides)
    return data


def test_import_addresses_reads_cbs_postcode_house_number_file(world, tmp_path):
    other = AreaFactory(municipality=world.municipality, cbs_code="WK008041", name="Nijlân & De Zwette")
    path = tmp_path / "pc6hnr20240801_gwb.csv"
    path.write_text(
        "PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\n"
        "8932AB;120;00804000;008040;0080\n"
        '"8932AB";"122";"00804100";"008041";"0080"\n'
        "1012AB;1;03630000;036300;0363\n"
        "bad;row\n",
        encoding="utf-8",
    )
    call_command("import_addresses", str(path))
    points = {(p.postcode, p.huisnummer): p.area for p in AddressPoint.objects.all()}
    assert points == {("8932AB", 120): world.area_a, ("8932AB", 122): other}
    call_command("import_addresses", str(path))  # again: the same rows, no duplicates
    assert AddressPoint.objects.count() == 2


def test_a_four_digit_postcode_of_two_districts_is_chosen_never_decided_silently(world, as_worker):
    PostcodeAreaFactory(postcode4="8932", area=world.area_a, share=0.6)
    PostcodeAreaFactory(postcode4="8932", area=world.area_b, share=0.4)
    response = as_worker.post(NEW, form(postcode="8932 AB", huisnummer="120"))
    assert response.status_code == 200 and not Resident.objects.exists()
    field = response.context["form"].fields["district"]
    assert "district" in response.context["form"].errors
    assert {int(pk) for pk, _label in field.widget.choices} == {world.area_a.pk, world.area_b.pk}
    assert 'type="radio"' in response.content.decode()
    saved = as_worker.post(NEW, form(postcode="8932 AB", huisnummer="120", district=str(world.area_b.pk)))
    assert saved.status_code == 302
    resident = Resident.objects.get()
    assert resident.area == world.area_b and Household.objects.get().area == world.area_b


def test_postcode_and_house_number_decide_where_the_address_file_has_them(world, as_worker):
    PostcodeAreaFactory(postcode4="8932", area=world.area_a, share=0.6)
    PostcodeAreaFactory(postcode4="8932", area=world.area_b, share=0.4)
    AddressPoint.objects.create(postcode="8932AB", huisnummer=120, area=world.area_b)
    saved = as_worker.post(NEW, form(postcode="8932AB", huisnummer="120"))
    assert saved.status_code == 302 and Resident.objects.get().area == world.area_b


def test_a_corrected_district_moves_the_household_to_the_right_team_in_its_history(world, as_worker):
    PostcodeAreaFactory(postcode4="8932", area=world.area_a, share=0.6)
    PostcodeAreaFactory(postcode4="8932", area=world.area_b, share=0.4)
    as_worker.post(NEW, form(postcode="8932AB", huisnummer="120", district=str(world.area_a.pk)))
    resident = Resident.objects.get()
    household = Household.objects.get()
    url = reverse("people:resident_edit", args=[resident.pk])
    page = as_worker.get(url)
    assert page.context["form"]["district"].value() == str(world.area_a.pk), "offered for correction"
    data = form(postcode="8932AB", huisnummer="120")
    data.update(district=str(world.area_b.pk), reason="Woont aan de overkant, in Goutum")
    moved = as_worker.post(url, data)
    assert moved.status_code == 302, moved.context["form"].errors if moved.context else moved
    household.refresh_from_db()
    assert household.area == world.area_b
    change = FieldChange.objects.get(household=household, field="area")
    assert (change.old, change.new) == (world.area_a.name, world.area_b.name)
    assert change.reason == "Woont aan de overkant, in Goutum"
    # Team B serves it now.
    assert login(world.outsider).get(reverse("people:household", args=[household.pk])).status_code == 200
