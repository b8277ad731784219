"""The figure import reads the real files in data/ as published, and refuses malformed ones."""

import shutil
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areas.factories import MunicipalityFactory
from insights.importers import INCOME_FILE, PC4_FILE, SCAN_FILE, import_figures
from insights.models import Figure
from wijkteam.reference import DATA_DIR

pytestmark = pytest.mark.django_db


def reports_by_file(reports):
    return {r.file: r for r in reports}


def test_imports_cbs_figures_with_source_table_and_year(world):
    reports = reports_by_file(import_figures())

    inhabitants = Figure.objects.get(region_code="WK008040", indicator="AantalInwoners_5")
    assert (inhabitants.value, inhabitants.area, inhabitants.year, inhabitants.table) == (
        Decimal(6430),
        world.area_a,
        2024,
        "85984NED",
    )
    assert inhabitants.label == "Aantal inwoners" and "CBS" in inhabitants.source
    income = Figure.objects.get(region_code="WK008050", indicator="inkomen_gemiddeld_per_inwoner")
    assert (income.value, income.unit, income.year) == (Decimal("17.6"), "x 1000 euro", 2020)
    assert income.source == "CBS, Integraal Inkomens- en Vermogenssysteem (IIV)"
    low = Figure.objects.get(region_code="WK008041", indicator="huishoudens_laagste_40pct")
    assert (low.value, low.unit, low.region_name) == (Decimal("66.4"), "%", "Nijlân & De Zwette")
    # Middelsee is '.' (suppressed by CBS) in all three income columns: kept as not published.
    suppressed = Figure.objects.filter(region_code="WK008074", file=INCOME_FILE)
    assert [f.value for f in suppressed] == [None, None, None]
    assert reports[INCOME_FILE].not_published == 3
    # Postcode 8921 (Leeuwarden): inhabitants and 65+ summed from the age bands.
    assert Figure.objects.get(region_code="8921", indicator="inwoners").value > 0
    seniors = Figure.objects.get(region_code="8921", indicator="inwoners_65plus")
    assert 0 < seniors.value < Figure.objects.get(region_code="8921", indicator="inwoners").value
    assert reports[SCAN_FILE].skipped["municipality Heerenveen (GM0074) not in this installation"] > 1000


def test_running_twice_changes_nothing(world):
    first = import_figures()
    count = Figure.objects.count()
    second = import_figures()
    assert Figure.objects.count() == count
    assert sum(r.created + r.updated for r in second) == 0
    assert sum(r.unchanged for r in second) == sum(r.created for r in first) == count


def test_heerenveen_area_scans_with_loneliness(db):
    MunicipalityFactory(cbs_code="GM0074", name="Heerenveen")
    import_figures()
    lonely = Figure.objects.get(region_code="GM0074:Akkrum", indicator="gezondheid-ernstige-eenzaamheid")
    assert (lonely.value, lonely.unit, lonely.reference_value, lonely.count, lonely.year) == (
        Decimal(8),
        "%",
        Decimal(7),
        205,
        2019,
    )
    # '<10' as published: the percentage is kept, the number is not.
    help_at_home = Figure.objects.get(
        region_code="GM0074:Gersloot", indicator="gebruik-voorzieningen-wmo-huishoudelijke-hulp"
    )
    assert help_at_home.count is None and help_at_home.value == Decimal(57)
    woz = Figure.objects.get(region_code="GM0074:Akkrum", indicator="woningen-gemiddelde-woz")
    assert woz.value == Decimal(183000)


@pytest.fixture
def data_copy(tmp_path):
    for folder in ("cbs", "gezondheid"):
        shutil.copytree(DATA_DIR / folder, tmp_path / folder)
    return tmp_path


def _replace_line(path, number, text):
    lines = path.read_bytes().decode("utf-8-sig").splitlines(keepends=True)
    ending = "\r\n" if lines[number - 1].endswith("\r\n") else "\n"
    lines[number - 1] = text + ending
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(path, start):
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.startswith(start):
            return number
    raise AssertionError(start)


def test_a_changed_figure_is_updated(world, data_copy):
    import_figures(base=data_copy)
    income = data_copy / INCOME_FILE
    _replace_line(income, _line_of(income, ";WK008040;"), ";WK008040;Huizum-West;23,9;53,5;7,1")
    reports = reports_by_file(import_figures(base=data_copy))
    assert reports[INCOME_FILE].updated == 1
    assert Figure.objects.get(region_code="WK008040", indicator="inkomen_gemiddeld_per_inwoner").value == Decimal(
        "23.9"
    )


@pytest.mark.parametrize(
    ("file", "start", "broken", "reason"),
    [
        (INCOME_FILE, ";WK008040;", ";WK008040;Huizum-West;23,8;5x,5;7,1", "'5x,5' is not a number"),
        (
            INCOME_FILE,
            ";WK008040;",
            ";WK008040;Huizum-West;23,8;53,5",
            "expected 6 fields separated by semicolons, found 5",
        ),
        (
            INCOME_FILE,
            ";WK008040;",
            ";WK009940;Huizum-West;23,8;53,5;7,1",
            "district WK009940 does not belong to GM0080",
        ),
        (
            PC4_FILE,
            "8921,",
            "8921,12x,5,7,Leeuwarden,Leeuwarden,Friesland,Noord-Friesland,GGD Fryslân",
            "'12x' is not a whole number",
        ),
        (
            SCAN_FILE,
            "Akkrum,Gezondheid,Ernstige eenzaamheid",
            "Akkrum,Gezondheid,Ernstige eenzaamheid,acht,7%,205",
            "'acht' is neither",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_line_and_reason(world, data_copy, file, start, broken, reason):
    path = data_copy / file
    line = _line_of(path, start)
    _replace_line(path, line, broken)
    with pytest.raises(CommandError) as refused:
        call_command("import_figures", data_dir=data_copy)
    assert f"{file}, line {line}: " in str(refused.value)
    assert reason in str(refused.value)
    assert not Figure.objects.exists(), "a refused import writes nothing"


def test_invalid_json_is_refused_with_its_line(world, data_copy):
    kwb = data_copy / "cbs" / "kwb2024_selectie.json"
    text = kwb.read_text(encoding="utf-8").replace('"AantalInwoners_5": 6430,', '"AantalInwoners_5": 6430,,', 1)
    kwb.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=r"kwb2024_selectie\.json, line \d+: not valid JSON"):
        call_command("import_figures", data_dir=data_copy)


def test_command_reports_what_it_imported_and_skipped(world, capsys):
    call_command("import_figures", "GM0080")
    out = capsys.readouterr().out
    assert f"{INCOME_FILE}: " in out and " new, 0 changed, 0 unchanged" in out
    assert "not published by CBS (null or '.'): 3, shown as such" in out
