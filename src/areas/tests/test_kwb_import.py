"""A municipality not among the five shipped sets itself up from the KWB files it downloads from CBS:
two years in two other shapes than the shipped selection (OData rows as JSON, a semicolon CSV), with
``null`` and ``.``, a renamed, a new and an ended district, and then reads it all through HTTP."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.factories import UserFactory
from accounts.models import Role
from areas.models import Area, AreaBoundary, AreaChange, AreaChangeKind, Municipality
from conftest import login
from insights.models import Figure

pytestmark = pytest.mark.django_db

CODE = "GM0090"  # Smallingerland: not one of the five towns in data/


def _row(code, kind, inhabitants, men, **extra):
    return {
        "ID": 0,
        "WijkenEnBuurten": f"{code}  ",  # CBS pads its keys
        "Gemeentenaam_1": "Smallingerland                          ",
        "SoortRegio_2": f"{kind:<10}",
        "Codering_3": f"{code}  ",
        "AantalInwoners_5": inhabitants,
        "Mannen_6": men,
        **extra,
    }


@pytest.fixture
def kwb_2023(tmp_path):
    """CBS's open-data rows; the names in a separate regions list, as the API gives them."""
    rows = [
        _row("GM0090", "Gemeente", 56200, 27900),
        _row("WK009000", "Wijk", 9100, 4400),
        _row("WK009001", "Wijk", 7300, None),  # null: not published
        _row("WK009002", "Wijk", 410, 200),
        _row("BU00900001", "Buurt", 1200, 590),
    ]
    data = tmp_path / "kwb-2023-rows.json"
    data.write_text(json.dumps({"value": rows}), encoding="utf-8")
    regions = tmp_path / "WijkenEnBuurten.json"
    titles = {
        "GM0090": "Smallingerland",
        "WK009000": "Drachten-Centrum",
        "WK009001": "Drachten-Noord",
        "WK009002": "Boornbergum-Kortehemmen",
        "BU00900001": "Centrum-Noord",
    }
    regions.write_text(json.dumps({"value": [{"Key": k, "Title": t} for k, t in titles.items()]}), "utf-8")
    return data, regions


@pytest.fixture
def kwb_2024(tmp_path):
    """A semicolon CSV with the names in WijkenEnBuurten; '.' and an empty cell for not published.
    WK009001 is renamed, WK009002 is gone (merged), WK009003 is new."""
    path = tmp_path / "kwb-2024-smallingerland.csv"
    path.write_text(
        '"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5";"Mannen_6"\n'
        '1;"Smallingerland";"Smallingerland";"Gemeente";"GM0090";"56480";"28010"\n'
        '2;"Drachten-Centrum";"Smallingerland";"Wijk";"WK009000";"9150";"."\n'
        '3;"Drachten Noord en De Wiken";"Smallingerland";"Wijk";"WK009001";"7420";""\n'
        '4;"Boornbergum e.o.";"Smallingerland";"Wijk";"WK009003";".";"230"\n'
        '5;"Harlingen-Centrum";"Harlingen";"Wijk";"WK007201";"5000";"2400"\n',
        encoding="utf-8",
    )
    return path


def test_a_new_municipality_from_its_own_kwb_files_through_http(kwb_2023, kwb_2024, capsys):
    data, regions = kwb_2023
    call_command("import_areas", CODE, str(data), "--regions", str(regions), "--positioning", "regie")
    call_command("import_figures", CODE, "--kwb", str(data))
    smallingerland = Municipality.objects.get(cbs_code=CODE)
    assert (smallingerland.name, smallingerland.positioning) == ("Smallingerland", "regie")
    assert Area.objects.get(cbs_code="BU00900001").parent.cbs_code == "WK009000"
    assert not AreaChange.objects.exists(), "the first import is no change"

    call_command("import_areas", CODE, str(kwb_2024))
    out = capsys.readouterr().out
    call_command("import_figures", CODE, "--kwb", str(kwb_2024))
    assert "changed WK009001" in out

    changes = {(c.area.cbs_code, c.kind, c.old_name, c.new_name, c.year) for c in AreaChange.objects.all()}
    assert changes == {
        ("WK009001", AreaChangeKind.RENAMED, "Drachten-Noord", "Drachten Noord en De Wiken", 2024),
        ("WK009003", AreaChangeKind.NEW, "", "Boornbergum e.o.", 2024),
        ("WK009002", AreaChangeKind.ENDED, "Boornbergum-Kortehemmen", "", 2024),
    }
    ended = Area.objects.get(cbs_code="WK009002")
    assert ended.ended_in == 2024
    assert ended.figures.filter(year=2023).count() == 2, "an ended district keeps its figures"
    assert not Figure.objects.filter(area__isnull=True, region_kind="wijk").exists(), "no orphaned figures"
    assert not Figure.objects.filter(region_code="WK007201").exists(), "Harlingen is not in this installation"

    # Inhabitants come from the latest figures; '.' is not published.
    north = Area.objects.get(cbs_code="WK009001")
    assert (north.inhabitants, north.name) == (7420, "Drachten Noord en De Wiken")
    assert (
        north.inhabitants_source == "CBS, Kerncijfers wijken en buurten 2024, Kerncijfers wijken en buurten 2024, 2024"
    )
    assert Area.objects.get(cbs_code="WK009003").inhabitants is None
    men = Figure.objects.get(region_code="WK009001", indicator="Mannen_6", year=2024)
    assert men.value is None
    assert (men.file, men.table, men.year) == (
        "kwb-2024-smallingerland.csv",
        "Kerncijfers wijken en buurten 2024",
        2024,
    )
    assert Figure.objects.get(region_code="WK009000", indicator="AantalInwoners_5", year=2023).file == (
        "kwb-2023-rows.json"
    )

    policy = login(UserFactory(role=Role.POLICY_OFFICER, municipality=smallingerland))
    index = policy.get("/wijken/").content.decode()
    for name in ("Drachten-Centrum", "Drachten Noord en De Wiken", "Boornbergum e.o."):
        assert name in index
    assert "Boornbergum-Kortehemmen" not in index, "an ended district is not listed"
    assert "7420" in index.replace(".", "") and "niet gepubliceerd" in index

    detail = policy.get("/wijken/WK009001/").content.decode()
    assert "niet gepubliceerd" in detail
    assert "Kerncijfers wijken en buurten 2024" in detail and "Kerncijfers wijken en buurten 2023" in detail

    # No boundaries yet: the map says so, the table still works.
    page = policy.get("/wijken/kaart/?cijfer=inwoners").content.decode()
    assert "Er zijn geen grenzen" in page and "Drachten-Centrum" in page

    # Another municipality's officer does not see these districts.
    other = login(UserFactory(role=Role.POLICY_OFFICER, municipality=Municipality.objects.create(cbs_code="GM0072")))
    assert other.get("/wijken/WK009001/").status_code == 404


def test_running_the_same_file_twice_changes_nothing(kwb_2024):
    call_command("import_areas", CODE, str(kwb_2024))
    call_command("import_figures", CODE, "--kwb", str(kwb_2024))
    areas, figures = list(Area.objects.values()), list(Figure.objects.values("pk", "value", "imported_at"))
    call_command("import_areas", CODE, str(kwb_2024))
    call_command("import_figures", CODE, "--kwb", str(kwb_2024))
    assert list(Area.objects.values()) == areas
    assert list(Figure.objects.values("pk", "value", "imported_at")) == figures
    assert not AreaChange.objects.exists()


def test_an_older_year_does_not_undo_a_newer_one(kwb_2023, kwb_2024):
    data, regions = kwb_2023
    call_command("import_areas", CODE, str(kwb_2024))
    call_command("import_areas", CODE, str(data), "--regions", str(regions))
    assert Area.objects.get(cbs_code="WK009001").name == "Drachten Noord en De Wiken"


def test_a_file_that_is_not_a_kwb_table_is_refused_with_its_line(tmp_path):
    path = tmp_path / "kwb-2025.csv"
    path.write_text('"WijkenEnBuurten";"Codering_3";"AantalInwoners_5"\n"Drachten";"WK009000";"veel"\n', "utf-8")
    with pytest.raises(CommandError, match=r"kwb-2025\.csv, line 2: WK009000: AantalInwoners_5 is 'veel'"):
        call_command("import_areas", CODE, str(path))
    with pytest.raises(CommandError, match="no year"):
        (tmp_path / "kerncijfers.json").write_text("{}", "utf-8")
        call_command("import_areas", CODE, str(tmp_path / "kerncijfers.json"))
    assert not Area.objects.exists()


def test_boundaries_from_the_municipalitys_geojson(kwb_2024, tmp_path):
    call_command("import_areas", CODE, str(kwb_2024))
    square = {"type": "Polygon", "coordinates": [[[6.0, 53.1], [6.1, 53.1], [6.1, 53.2], [6.0, 53.1]]]}
    geojson = tmp_path / "wijkenbuurten_2024.geojson"
    geojson.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"statcode": "WK009000", "statnaam": "x"}, "geometry": square}
                ],
            }
        ),
        "utf-8",
    )
    call_command("import_boundaries", CODE, str(geojson))
    boundary = AreaBoundary.objects.get()
    assert (boundary.area.cbs_code, boundary.source) == ("WK009000", "CBS/PDOK, wijk- en buurtkaart, " + geojson.name)
    policy = login(UserFactory(role=Role.POLICY_OFFICER, municipality=Municipality.objects.get(cbs_code=CODE)))
    features = policy.get("/wijken/kaart.geojson?cijfer=inwoners").json()["features"]
    assert [f["properties"]["code"] for f in features] == ["WK009000"]
