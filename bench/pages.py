"""Server time of the key pages and API endpoints against their database floor.

For each endpoint: a logged-in user of the right role (never a superuser) requests it repeatedly
through Django's full stack in-process (middleware, the gate, the access log, templates); we
report the median and p95 of the server time and the number of SQL queries. The floor is the
hand-written SQL that fetches the same data, timed the same way; page/floor is their ratio.

Run by `make bench` (docs/performance.md); usable on its own:
    DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --repeat 50 --json out.json
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # bench.scenarios, when run on its own
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkteam.settings")
os.environ.setdefault("WIJKTEAM_ENV", "test")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.scenarios import SCENARIOS, Scenario
from privacy.chain import seal

# Pages that read one dossier or search, i.e. write one access-log row per request.
LOG_COST_PAGES = ("Resident search: BSN", "Household dossier", "Case page")


@dataclass
class Result:
    name: str
    method: str
    url: str
    role: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float
    python_cpu_ms: float  # median CPU time of the Django process per request (no database time)
    python_calls: int  # Python function calls per request: the same on a busy machine as on an idle one
    floor_median_ms: float | None
    floor_p95_ms: float | None
    ratio: float | None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(call: Callable[[], object], repeat: int, warmup: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock milliseconds per call; with ``cpu``, also this process's CPU milliseconds."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
    return samples


def python_calls(call: Callable[[], object], repeat: int = 3) -> int:
    """The Python function calls one request makes (cProfile's count, the database's work not
    included). Times on a shared machine vary by a third from run to run; this count does not, so
    it shows whether a change made a page do less work (docs/performance.md)."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(repeat):
        call()
    profile.disable()
    return pstats.Stats(profile).total_calls // repeat


def request_floor(cursor, session_key: str, user) -> None:
    """What every page needs besides its own data, as hand-written SQL: the session, the user,
    the user's teams (the gate) and the one access-log row with its link in the chain (moving the
    head, the row, the head's new seal; privacy.chain)."""
    cursor.execute(
        "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > now()", [session_key]
    )
    cursor.fetchall()
    cursor.execute("SELECT * FROM accounts_user WHERE id = %s", [user.pk])
    cursor.fetchall()
    cursor.execute("SELECT team_id FROM teams_teammembership WHERE user_id = %s", [user.pk])
    cursor.fetchall()
    cursor.execute("UPDATE privacy_accessloghead SET position = position + 1 WHERE id = 1 RETURNING position, seal")
    position, previous = cursor.fetchone()
    row = (timezone.now(), user.pk, user.role, "view", "casework", None, None, None, "127.0.0.1", "floor")
    sealed = seal(previous, position, row)
    cursor.execute(
        "INSERT INTO privacy_accesslog (at, user_id, role, action, purpose, resident_id, household_id, case_id, "
        "client_address, detail, position, seal) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [*row, position, sealed],
    )
    cursor.execute("UPDATE privacy_accessloghead SET seal = %s WHERE id = 1", [sealed])


def _second_step(client, user) -> None:
    """Every page needs the second sign-in step; the benchmark's users have passed it."""
    from accounts.twofactor import verified_session

    session = client.session
    session.update(verified_session(user))
    session.save()


def run_scenario(scenario: Scenario, repeat: int, warmup: int, floors: bool = True) -> Result:
    context = scenario.prepare()
    client = Client()
    if context.user is not None:  # else a partner system: its API key in a header, no session
        client.force_login(context.user)
        _second_step(client, context.user)
    for name, value in context.session.items():
        session = client.session
        session[name] = value
        session.save()

    def request():
        if scenario.method == "POST":
            return client.post(context.url, context.body, content_type=context.content_type, **context.headers)
        return client.get(context.url, context.params, **context.headers)

    with CaptureQueriesContext(connection) as captured:
        response = request()
    query_count = len(captured)  # now: later requests clear Django's query log
    status = response.status_code
    if status >= 400:
        raise SystemExit(f"{scenario.name}: {context.url} answered {status}")
    cpu: list[float] = []
    samples = timed(request, repeat, warmup, cpu)
    calls = python_calls(request)
    floor_median = floor_p95 = ratio = None
    if floors and scenario.floor is not None:
        session_key = client.session.session_key

        def floor(cursor) -> None:
            if context.user is not None:
                request_floor(cursor, session_key, context.user)
            scenario.floor(cursor, context)

        with connection.cursor() as cursor:
            floor_samples = timed(lambda: floor(cursor), repeat, warmup)
        floor_median, floor_p95 = statistics.median(floor_samples), percentile(floor_samples, 0.95)
        ratio = round(statistics.median(samples) / floor_median, 1) if floor_median else None
    return Result(
        name=scenario.name,
        method=scenario.method,
        url=context.url,
        role=context.role_label,
        status=status,
        queries=query_count,
        median_ms=round(statistics.median(samples), 1),
        p95_ms=round(percentile(samples, 0.95), 1),
        python_cpu_ms=round(statistics.median(cpu), 1),
        python_calls=calls,
        floor_median_ms=round(floor_median, 2) if floor_median is not None else None,
        floor_p95_ms=round(floor_p95, 2) if floor_p95 is not None else None,
        ratio=ratio,
    )


def run_pages(repeat: int = 50, warmup: int = 5, only: list[str] | None = None, floors: bool = True) -> list[dict]:
    """Every scenario in turn, printed as it finishes; the results as plain dicts."""
    results = []
    for scenario in SCENARIOS:
        if only and scenario.name not in only:
            continue
        result = run_scenario(scenario, repeat, warmup, floors=floors)
        results.append(asdict(result))
        ratio = f"{result.ratio:>5}" if result.ratio is not None else "    -"
        print(
            f"{result.name:<36} {result.median_ms:>8.1f} ms  p95 {result.p95_ms:>8.1f} ms  "
            f"{result.queries:>3} queries  floor {result.floor_median_ms or 0:>7.2f} ms  ratio {ratio}",
            flush=True,
        )
    return results


def access_log_cost(repeat: int = 50, names: tuple[str, ...] = LOG_COST_PAGES) -> dict:
    """Server time with and without the access-log write, in-process and interleaved request by
    request, so that other load on the machine affects both alike (the load test's comparison
    is much noisier on a shared machine). The write (the row and its link in the chain) is
    switched off inside this process only."""
    from privacy import chain

    original = chain.append
    pages = {}
    for scenario in SCENARIOS:
        if scenario.name not in names:
            continue
        context = scenario.prepare()
        client = Client()
        client.force_login(context.user)
        _second_step(client, context.user)
        with_log, without_log = [], []
        for index in range(repeat * 2 + 4):
            off = index % 2 == 1
            chain.append = (lambda entry: entry) if off else original
            try:
                started = time.perf_counter()
                client.get(context.url, context.params)
                elapsed = (time.perf_counter() - started) * 1000
            finally:
                chain.append = original
            if index >= 4:
                (without_log if off else with_log).append(elapsed)
        with_ms, without_ms = statistics.median(with_log), statistics.median(without_log)
        pages[scenario.name] = {
            "with_ms": round(with_ms, 2),
            "without_ms": round(without_ms, 2),
            "cost_percent": round(100 * (with_ms - without_ms) / with_ms, 1),
        }
        print(f"access log on {scenario.name:<30} {with_ms:6.2f} ms, off {without_ms:6.2f} ms", flush=True)
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="scenario names")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    results = run_pages(args.repeat, args.warmup, args.only)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
