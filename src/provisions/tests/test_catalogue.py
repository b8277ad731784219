"""The functional administrator exports the social map and imports a changed file: all rows or none."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.models import Role
from conftest import login
from maatwerk.factories import customised_provision
from provisions.factories import ProvisionFactory
from provisions.models import Provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return login(UserFactory(role=Role.ADMINISTRATOR, municipality=world.municipality))


def test_export_and_import_round_trip(world, admin):
    traplift = customised_provision(world.municipality, name="Traplift", category="13", unit="82", price="6850.00")
    buurthuis = ProvisionFactory(municipality=world.municipality, name="Buurthuis De Zwette")
    buurthuis.areas.set([world.area_a])
    export = admin.get(reverse("provisions:catalogue_csv"))
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "Traplift;maatwerk" in text and "6850,00" in text and world.area_a.cbs_code in text
    # Change a price and add a provision, then import the file again.
    changed = (
        text.replace("6850,00", "6.500,00")
        + "Koffie-inloop Huizum;algemeen;Elke dinsdag;;sociaal-netwerk;;;;;;;;;;;ja\r\n"
    )
    upload = SimpleUploadedFile("kaart.csv", changed.encode("utf-8-sig"), "text/csv")
    response = admin.post(reverse("provisions:catalogue"), {"file": upload})
    assert response.status_code == 302
    traplift.refresh_from_db()
    assert str(traplift.unit_price) == "6500.00"
    assert traplift.contracts.count() == 1
    inloop = Provision.objects.get(name="Koffie-inloop Huizum")
    assert [d.code for d in inloop.life_domains.all()] == ["sociaal-netwerk"]
    xlsx = admin.get(reverse("provisions:catalogue_xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["naam", "soort"]
    assert sheet.max_row == 4


def test_a_wrong_row_stops_the_whole_import(world, admin):
    rows = (
        "naam;soort;leefgebieden;wijken;wet;productcategorie;eenheid;prijs;aanbieders\r\n"
        "Goed;algemeen;financien;;;;;;\r\n"
        "Fout;maatwerk;vliegen;WK999999;wmo;99;04;veel;12345678\r\n"
    )
    response = admin.post(
        reverse("provisions:catalogue"), {"file": SimpleUploadedFile("k.csv", rows.encode(), "text/csv")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for expected in ("Regel 3", "vliegen", "WK999999", "99", "veel", "12345678"):
        assert expected in page
    assert not Provision.objects.exists()


def test_only_the_functional_administrator_manages_the_catalogue(world):
    assert login(world.worker).get(reverse("provisions:catalogue")).status_code == 403
    assert login(world.policy).get(reverse("provisions:catalogue_csv")).status_code == 403


def test_who_runs_a_provision_goes_out_and_comes_back_by_name(world, admin):
    from partners.factories import OrganisationFactory

    humanitas = OrganisationFactory(municipality=world.municipality, name="Humanitas Leeuwarden")
    OrganisationFactory(municipality=world.municipality, name="Dubbel")
    OrganisationFactory(municipality=world.municipality, name="DUBBEL")  # names are unique, not their case
    ProvisionFactory(municipality=world.municipality, name="Thuisadministratie", organisation=humanitas)
    ProvisionFactory(municipality=world.municipality, name="Buurthuis De Zwette")
    text = admin.get(reverse("provisions:catalogue_csv")).content.decode("utf-8-sig")
    header, *lines = text.strip().split("\r\n")
    assert header.split(";")[-1] == "uitvoerder"
    assert {line.split(";")[0]: line.split(";")[-1] for line in lines} == {
        "Buurthuis De Zwette": "",
        "Thuisadministratie": "Humanitas Leeuwarden",
    }

    def upload(content: str):
        file = SimpleUploadedFile("kaart.csv", content.encode("utf-8-sig"), "text/csv")
        return admin.post(reverse("provisions:catalogue"), {"file": file})

    # The buurthuis is now run by Humanitas (the name in any case); an unknown or ambiguous name
    # stops the whole file.
    buurthuis_run = text.replace(";\r\n", ";humanitas LEEUWARDEN\r\n", 1)
    assert upload(buurthuis_run).status_code == 302
    assert Provision.objects.get(name="Buurthuis De Zwette").organisation == humanitas
    for name, message in (
        ("Onbekend", "Geen partnerorganisatie heet Onbekend"),
        ("Dubbel", "Meer dan één organisatie heet Dubbel"),
    ):
        response = upload(text.replace("Humanitas Leeuwarden", name))
        assert response.status_code == 400 and message.lower() in response.content.decode().lower()
    assert Provision.objects.get(name="Thuisadministratie").organisation == humanitas
    # A file from before the column existed leaves who runs it alone; an empty cell means the municipality.
    old = "\r\n".join(";".join(line.split(";")[:-1]) for line in text.strip().split("\r\n")) + "\r\n"
    assert upload(old).status_code == 302
    assert Provision.objects.get(name="Thuisadministratie").organisation == humanitas
    assert upload(text.replace(";Humanitas Leeuwarden", ";")).status_code == 302
    assert Provision.objects.get(name="Thuisadministratie").organisation is None
