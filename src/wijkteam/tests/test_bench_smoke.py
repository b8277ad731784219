"""A small-scale run of the city benchmark (docs/performance.md): every scenario answers, as a
professional who is not a superuser, and on PostgreSQL every hand-written floor query runs."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from bench.pages import run_pages
from bench.scenarios import SCENARIOS

pytestmark = pytest.mark.django_db


def test_every_scenario_runs_on_a_tiny_city():
    call_command("generate_city", scale="tiny", today=date(2026, 11, 23), stdout=io.StringIO())
    floors = connection.vendor == "postgresql"  # the floor SQL is written for PostgreSQL
    results = run_pages(repeat=2, warmup=0, floors=floors)
    assert [r["name"] for r in results] == [s.name for s in SCENARIOS]
    for result in results:
        assert result["status"] < 400, result
        assert result["role"] != "", result
        # The district profile (figures, period aggregates here and in the town) is the largest.
        assert 0 < result["queries"] <= 32, result
        assert result["median_ms"] > 0
        if floors and result["floor_median_ms"] is not None:
            assert result["ratio"] > 0
