"""The ZRM: only the domains the question needs, a reason for each score, a trend over time."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import CaseFactory
from zrm.models import Assessment, DomainScore, LifeDomain


@pytest.fixture
def case(world):
    return CaseFactory(team=world.team_a, regisseur=world.worker)


def _score(client, case, scores: dict[str, tuple[int, str]], day=None):
    data = {"domein": list(scores), "assessed_on": (day or timezone.localdate()).isoformat(), "note": ""}
    for code, (score, reason) in scores.items():
        data[f"score_{code}"], data[f"reason_{code}"] = score, reason
    return client.post(reverse("zrm:new", args=[case.pk]), data)


def test_first_step_picks_domains_and_never_shows_all_thirteen_score_fields(case, as_worker):
    page = as_worker.get(reverse("zrm:new", args=[case.pk]))
    assert page.status_code == 200
    assert "pick" in page.context and "form" not in page.context
    step_two = as_worker.get(reverse("zrm:new", args=[case.pk]), {"domein": ["financien", "sociaal-netwerk"]})
    assert step_two.status_code == 200
    form = step_two.context["form"]
    score_fields = [name for name in form.fields if name.startswith("score_")]
    assert score_fields == ["score_financien", "score_sociaal-netwerk"]
    assert LifeDomain.objects.count() == 13


def test_picking_nothing_is_refused_with_a_message(case, as_worker):
    response = as_worker.get(reverse("zrm:new", args=[case.pk]), {"domein": []})
    assert response.status_code == 200
    response = as_worker.post(reverse("zrm:new", args=[case.pk]), {"domein": ["bestaat-niet"]})
    assert "domein" in response.context["pick"].errors


def test_every_score_needs_a_reason_and_nothing_is_saved_without(case, as_worker):
    response = _score(as_worker, case, {"financien": (2, ""), "huisvesting": (4, "Woont zelfstandig, huur betaald.")})
    assert response.status_code == 400
    assert "reason_financien" in response.context["form"].errors
    assert not Assessment.objects.exists()


def test_future_dates_are_refused(case, as_worker):
    response = _score(as_worker, case, {"financien": (2, "Schulden")}, day=timezone.localdate() + timedelta(days=1))
    assert response.status_code == 400
    assert "assessed_on" in response.context["form"].errors


def test_re_assessment_builds_a_trend_with_chart_and_table(case, as_worker):
    start = timezone.localdate() - timedelta(days=120)
    assert _score(as_worker, case, {"financien": (1, "Aanmaningen, afsluiting dreigt")}, start).status_code == 302
    assert (
        _score(
            as_worker,
            case,
            {"financien": (3, "Betalingsregeling loopt"), "sociaal-netwerk": (2, "Weinig contact")},
            start + timedelta(days=60),
        ).status_code
        == 302
    )
    # The next assessment starts from the domains scored last time.
    page = as_worker.get(reverse("zrm:new", args=[case.pk]))
    assert set(page.context["pick"].initial["domein"]) == {"financien", "sociaal-netwerk"}

    detail = as_worker.get(reverse("cases:detail", args=[case.pk]))
    trend = detail.context["trend"]
    rows = {row.domain.code: row for row in trend.domains}
    assert rows["financien"].scores == [1, 3] and rows["financien"].change == 2
    assert rows["sociaal-netwerk"].scores == [None, 2]
    body = detail.content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert "<table" in body  # the same figures for screen readers
    assert DomainScore.objects.count() == 3


def test_another_team_cannot_score(case, as_outsider):
    response = _score(as_outsider, case, {"financien": (2, "Schulden bij drie partijen")})
    assert response.status_code == 404
    assert not Assessment.objects.exists()
