"""District profiles and their exports: figures with provenance, case aggregates with suppression."""

import csv
import io
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.factories import UserFactory
from accounts.models import Role
from areas.factories import AreaFactory, MunicipalityFactory
from cases.factories import CaseFactory
from cases.models import Triage
from conftest import login
from insights import tallies
from insights.importers import import_figures
from insights.tests.noise import near
from provisions.factories import ProvisionFactory
from provisions.models import ProvisionReferral
from teams.factories import TeamFactory
from zrm.models import LifeDomain

pytestmark = pytest.mark.django_db


def cases(team, n, *, domains=(), triage="", by=None, provision=None):
    made = []
    for _ in range(n):
        case = CaseFactory(team=team, triage=triage)
        case.life_domains.set(LifeDomain.objects.filter(code__in=domains))
        if provision:
            ProvisionReferral.objects.create(provision=provision, case=case, resident=case.resident, by=by)
        made.append(case)
    return made


@pytest.fixture
def caseload(world):
    """District A: 12 cases on domestic relations (shown); district B: 1..9 per aggregate (suppressed);
    district C: 11 cases without domains or triage (the smallest shown part, hidden to protect B)."""
    world.area_c = AreaFactory(municipality=world.municipality, name="Camminghaburen e.o.", cbs_code="WK008051")
    cases(TeamFactory(municipality=world.municipality, areas=[world.area_c]), 11)
    provision = ProvisionFactory(municipality=world.municipality, name="Buurtkamer")
    cases(
        world.team_a, 12, domains=["huiselijke-relaties"], triage=Triage.SUPPORT, by=world.worker, provision=provision
    )
    cases(world.team_b, 3, domains=["financien"], triage=Triage.SELF_RELIANT, by=world.outsider, provision=provision)
    cases(world.team_b, 1, domains=["huiselijke-relaties"], triage=Triage.SPECIALIST)
    return world


def test_policy_officer_lands_on_the_districts(world):
    response = login(world.policy).get(reverse("home"))
    assert response.url == reverse("insights:districts")


def test_profile_shows_real_cbs_figures_with_source_and_year(world):
    import_figures()
    response = login(world.policy).get(reverse("insights:district", args=["WK008040"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "6.430" in page and "128.810" in page  # inhabitants of Huizum-West and of Leeuwarden, CBS 2024
    assert "85984NED, 2024" in page
    assert "23,8" in page and "24,5" in page  # average income Huizum-West and Leeuwarden, 2020
    assert "Integraal Inkomens- en Vermogenssysteem (IIV)" in page


def test_counts_at_or_above_the_threshold_are_shown(caseload):
    """Shown, and protected: each count is the true one plus the noise of its base cells (one cell
    per team, district and month here; district A's cases are all of this month)."""
    response = login(caseload.policy).get(reverse("insights:district", args=["WK008040"]))
    profile = response.context["profile"]
    assert near(profile.total.district.value, 12)
    domains = {row.label: row for row in profile.domains}
    assert near(domains["Huiselijke relaties"].district.value, 12)
    assert near(domains["Huiselijke relaties"].municipality.value, 13, cells=2)  # A's 12 and B's one
    ((label, used),) = [(row.label, row.district.value) for row in profile.provisions]
    assert label == "Buurtkamer" and near(used, 12)


def test_small_counts_are_suppressed_on_the_page(caseload):
    response = login(caseload.policy).get(reverse("insights:district", args=["WK008071"]))
    page = response.content.decode()
    profile = response.context["profile"]
    assert profile.total.district.suppressed and str(profile.total.district) == "< 10"
    assert "&lt; 10" in page
    for row in [*profile.period_rows, *profile.domains, *profile.triage, *profile.provisions]:
        for count in (row.district, row.municipality):
            assert count is None or count.value is None or count.value >= 10, row
        if row.district.suppressed and row.district_figure is not None:
            assert row.district_figure.value is None, row


def _export_cells(client, code, fmt):
    response = client.get(reverse("insights:district_export", args=[code, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    book = load_workbook(io.BytesIO(response.content))
    return [
        list(row) for sheet in book.worksheets if sheet.title != "Figures" for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_suppress_every_small_count(caseload, fmt):
    rows = _export_cells(login(caseload.policy), "WK008071", fmt)
    counts = [cell for row in rows[1:] for cell in row if isinstance(cell, str) and cell.strip().isdigit()]
    assert counts, "the export holds counts"
    assert all(int(cell) >= 10 for cell in counts), counts
    assert any("< 10" in str(cell) for row in rows for cell in row)


def test_index_suppresses_small_districts(caseload):
    response = login(caseload.policy).get(reverse("insights:districts"))
    lines = {line.area.cbs_code: line for line in response.context["lines"]}
    assert lines["WK008071"].cases.suppressed and lines["WK008071"].rate.value is None
    # Leeuwarden's total is on every profile: with B alone suppressed, B = total - A - C. So a second
    # district goes too: C (11 cases) below the threshold by its own noise in some months ("< 10"),
    # else the smallest shown part ("x"). Which one depends on the month's noise, never how many.
    hidden = {code for code, line in lines.items() if line.cases.value is None}
    assert "WK008071" in hidden and len(hidden) == 2
    assert all(lines[code].rate.value is None for code in hidden)
    true = {"WK008040": 12, "WK008051": 11}
    assert all(near(lines[code].cases.value, true[code]) for code in true if code not in hidden)
    assert {str(lines[code].cases) for code in hidden - {"WK008071"}} <= {"x", "< 10"}


def test_threshold_is_a_setting(caseload, settings):
    settings.WIJKTEAM = {**settings.WIJKTEAM, "SUPPRESSION_THRESHOLD": 3}
    response = login(caseload.policy).get(reverse("insights:district", args=["WK008071"]))
    # 3 self-reliant and 1 specialist case: two triage cells. The total's noise depends on the month
    # (the cell key), so on some days it reads below 3 and is suppressed too; never anything else.
    total = response.context["profile"].total.district.value
    assert total is None or near(total, 4, cells=2)
    assert "&lt; 3" in response.content.decode()  # the specialist case: one, below the new threshold


def test_index_queries_do_not_grow_with_districts(world, django_assert_max_num_queries):
    for _ in range(20):
        AreaFactory(municipality=world.municipality)
    client = login(world.policy)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("insights:districts")).status_code == 200


def test_profile_queries_are_bounded(caseload, django_assert_max_num_queries):
    client = login(caseload.policy)
    tallies.refresh()  # the recount after changes is bounded in test_tallies.py
    with django_assert_max_num_queries(30):
        assert client.get(reverse("insights:district", args=["WK008040"])).status_code == 200


@pytest.mark.parametrize("role", [Role.REFERRER, Role.BESCHIKKER, Role.PRIVACY_OFFICER])
def test_roles_without_a_use_get_403(world, role):
    user = UserFactory(role=role, municipality=world.municipality)
    assert login(user).get(reverse("insights:district", args=["WK008040"])).status_code == 403


def test_another_municipalitys_district_is_404(world):
    other = MunicipalityFactory(cbs_code="GM0794", name="Helmond")
    AreaFactory(municipality=other, cbs_code="WK079410", name="Binnenstad")
    client = login(world.policy)
    assert client.get(reverse("insights:district", args=["WK079410"])).status_code == 404
    assert client.get(reverse("insights:district_export", args=["WK079410", "csv"])).status_code == 404
    assert client.get(reverse("insights:district_export", args=["WK008040", "pdf"])).status_code == 404


def test_export_is_logged_without_personal_data(caseload):
    from privacy.models import AccessLog

    login(caseload.policy).get(reverse("insights:district_export", args=["WK008040", "csv"]))
    entry = AccessLog.objects.get(action="export")
    assert (entry.user, entry.purpose, entry.case_id, entry.household_id) == (caseload.policy, "policy", None, None)


def test_area_scans_page(db):
    heerenveen = MunicipalityFactory(cbs_code="GM0074", name="Heerenveen")
    import_figures()
    user = UserFactory(role=Role.POLICY_OFFICER, municipality=heerenveen)
    response = login(user).get(reverse("insights:area_scans"))
    assert response.status_code == 200
    assert response.context["chosen"] == "gezondheid-ernstige-eenzaamheid"
    assert "Akkrum" in response.content.decode() and "Gemeente Heerenveen" in response.content.decode()


def test_map_data_table_and_geojson_with_suppression(caseload):
    from areas.models import AreaBoundary

    square = {"type": "Polygon", "coordinates": [[[5.8, 53.2], [5.81, 53.2], [5.81, 53.21], [5.8, 53.2]]]}
    for area in (caseload.area_a, caseload.area_b):
        AreaBoundary.objects.create(area=area, geometry=square, source="CBS/PDOK, wijken 2024")
    client = login(caseload.policy)
    page = client.get(reverse("insights:map"))
    assert page.status_code == 200
    # which districts are hidden depends on the month's noise (test_index_suppresses_small_districts);
    # the map shows exactly what the index shows
    shown = {line.area.cbs_code: line for line in client.get(reverse("insights:districts")).context["lines"]}
    for line in shown.values():
        if line.rate.value is not None:
            per_1000 = Decimal(line.cases.value) * 1000 / line.area.inhabitants
            assert line.rate.value == per_1000.quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert {v.area.cbs_code: v.text for v in page.context["values"]} == {
        code: str(line.rate) for code, line in shown.items()
    }
    data = client.get(reverse("insights:map_data")).json()
    values = {f["properties"]["code"]: f["properties"]["value"] for f in data["features"]}
    assert values == {
        code: None if shown[code].rate.value is None else float(shown[code].rate.value)
        for code in ("WK008040", "WK008071")
    }
    assert data["attribution"] == "CBS/PDOK, wijken 2024"


def test_map_of_a_published_figure(world):
    import_figures()
    page = login(world.policy).get(reverse("insights:map"), {"cijfer": "inkomen"})
    assert {v.area.cbs_code: v.text for v in page.context["values"]} == {"WK008040": "23,8", "WK008071": "30,4"}


def test_collectiviseren_suggests_a_recurring_theme_with_its_evidence(caseload):
    caseload.area_b.inhabitants = 95000
    caseload.area_b.save()
    response = login(caseload.leader).get(reverse("insights:district", args=["WK008040"]))
    (suggestion,) = response.context["suggestions"]
    assert suggestion.domain.code == "huiselijke-relaties" and near(suggestion.observed.value, 12)
    # the municipality's 13 cases (as shown) x 5,000 / 105,000 inhabitants: the evidence comes from
    # the protected counts of the profile beside it, never from the exact ones
    profile = response.context["profile"]
    town = next(row for row in profile.domains if row.label == "Huiselijke relaties").municipality.value
    assert near(town, 13, cells=2)
    assert suggestion.expected == (Decimal(town) * 5000 / 105000).quantize(Decimal("0.1"))
    assert suggestion.chance < 0.001
    assert response.context["may_start_initiative"]
    # The small district gets no suggestion: its counts are below the threshold.
    assert login(caseload.policy).get(reverse("insights:district", args=["WK008071"])).context["suggestions"] == []


def test_no_suggestion_when_the_district_is_like_the_municipality(caseload):
    # 12 of 13 cases in a district with 12,000 of 22,000 inhabitants: more than the 7.1 expected,
    # but a difference that chance gives more often than 1 in 100.
    caseload.area_a.inhabitants = 12000
    caseload.area_a.save()
    response = login(caseload.policy).get(reverse("insights:district", args=["WK008040"]))
    assert response.context["suggestions"] == []


def test_poisson_tail():
    from insights.aggregates import poisson_tail

    assert poisson_tail(0, 3.0) == 1.0
    assert abs(poisson_tail(1, 1.0) - (1 - math.exp(-1))) < 1e-12
    assert poisson_tail(12, 6.5) > 0.01 > poisson_tail(12, 0.65)


def test_chart_beside_its_data_table_shows_no_suppressed_bar(caseload):
    page = login(caseload.policy).get(reverse("insights:district", args=["WK008071"])).content.decode()
    assert 'class="wt-chart__svg"' in page and 'aria-hidden="true"' in page
    # district B's counts are suppressed: its bars have no width, only the municipality's can.
    chart = page[page.index("wt-chart__svg") : page.index("</svg>")]
    assert 'fill="#08519c"' in chart
    district_bars = [seg for seg in chart.split("<rect")[1:] if "#08519c" in seg]
    assert all('width="0"' in seg for seg in district_bars)


def test_chart_draws_shown_counts(caseload):
    page = login(caseload.policy).get(reverse("insights:district", args=["WK008040"])).content.decode()
    chart = page[page.index("wt-chart__svg") : page.index("</svg>")]
    district_bars = [seg for seg in chart.split("<rect")[1:] if "#08519c" in seg]
    assert sum('width="0"' not in seg for seg in district_bars) == 1  # Huiselijke relaties: 12 cases


def test_map_falls_back_to_postcode_areas_without_a_district_boundary(caseload):
    from areas.factories import PostcodeAreaFactory

    PostcodeAreaFactory(postcode4="8921", area=caseload.area_a, share=0.9)
    PostcodeAreaFactory(postcode4="8921", area=caseload.area_b, share=0.1)
    data = login(caseload.policy).get(reverse("insights:map_data")).json()
    (feature,) = data["features"]  # district B has no boundary and no postcode area of its own
    assert feature["properties"]["code"] == "WK008040" and feature["properties"]["outline"] == "postcode areas"
    assert feature["geometry"]["type"] == "MultiPolygon" and feature["geometry"]["coordinates"]
    assert data["attribution"] == "CBS/PDOK, postcode areas 2021, CC BY 4.0"


def test_protect_hides_the_smallest_part_when_one_is_suppressed():
    from wijkteam.suppression import Count, protect

    parts = protect([Count.of(12), Count.of(3), Count.of(11), Count.of(40)])
    assert [str(p) for p in parts] == ["12", "< 10", "x", "40"]
    two = protect([Count.of(12), Count.of(3), Count.of(4)])
    assert [str(p) for p in two] == ["12", "< 10", "< 10"]  # only their sum can be worked out
    assert [str(p) for p in protect([Count.of(12), Count.of(30)])] == ["12", "30"]


def test_triage_parts_are_protected_on_the_profile(caseload):
    # Leeuwarden: 12 support, 3 self-reliant, 1 specialist: two suppressed, nothing more to hide.
    profile = login(caseload.policy).get(reverse("insights:district", args=["WK008040"])).context["profile"]
    self_reliant, support, specialist = (str(r.municipality) for r in profile.triage)
    assert (self_reliant, specialist) == ("< 10", "< 10") and near(support, 12)
    for _ in range(17):
        CaseFactory(team=caseload.team_b, triage=Triage.SELF_RELIANT)
    # Now 20 self-reliant, 12 support, 1 specialist: the specialist count would follow from the shares.
    profile = login(caseload.policy).get(reverse("insights:district", args=["WK008040"])).context["profile"]
    self_reliant, support, specialist = (r.municipality for r in profile.triage)
    assert near(self_reliant.value, 20) and (str(support), str(specialist)) == ("x", "< 10")
    # a share of a hidden count is hidden too
    assert [str(r.municipality_figure) for r in profile.triage][1:] == ["x", "x"]
    assert str(profile.triage[0].municipality_figure).endswith("%")
