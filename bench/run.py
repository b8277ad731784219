"""`make bench`: the city, the page benchmark against its database floor, and the load test.

1. Creates the PostgreSQL database when it is missing and migrates it.
2. Generates the city into it when it is empty (`generate_city --scale city`); reuses it otherwise.
3. Runs the page benchmark (bench/pages.py) and the load test (bench/load.py).
4. Writes everything to docs/performance.json and the tables into docs/performance.md (between
   the `bench:results` markers), with the machine and the commit; prints the tables.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/wijkteam_city
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

# The targets of issue 8, per page: median, p95 (ms), page/floor.
MEDIAN, P95, RATIO = 25, 60, 3
P95_BY_PAGE = {"Resident search": 30, "API: resident search": 30, "District profile": 200}
LOAD_RPS, LOAD_P95, LOG_COST = 150, 150, 10


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating database {name}", flush=True)
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare_city(scale: str) -> dict:
    from django.core.management import call_command

    from demo.citygen import SCALES
    from people.models import Resident

    call_command("migrate", verbosity=0, interactive=False)
    residents = Resident.objects.count()
    if residents:
        wanted = SCALES[scale].residents
        note = "" if residents == wanted else f" (scale '{scale}' has {wanted:,}: drop the database to regenerate)"
        print(f"Reusing the city in the database: {residents:,} residents{note}", flush=True)
        _add_what_is_missing(scale)
        _refresh_tallies()
        return {"generated": False, "residents": residents}
    print(f"Generating the city at scale '{scale}' (once; later runs reuse it)", flush=True)
    started = time.monotonic()
    call_command("generate_city", scale=scale)
    return {"generated": True, "scale": scale, "seconds": round(time.monotonic() - started)}


def wait_for_quiet(below: float | None, longest: int = 600) -> None:
    """On a shared machine: wait (at most ``longest`` seconds) until the 1-minute load average is
    below ``below`` before measuring, so other work disturbs the figures less."""
    if below is None:
        return
    waited = 0
    while os.getloadavg()[0] >= below and waited < longest:
        if waited % 60 == 0:
            print(f"Waiting for the load average ({os.getloadavg()[0]:.1f}) to fall below {below}", flush=True)
        time.sleep(5)
        waited += 5


def machine() -> dict:
    from django.db import connection

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory_kb = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": postgres.split(" ")[0],
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def commit() -> str:
    executable = shutil.which("git")
    if executable is None:
        return "unknown"

    def git(*args: str) -> str:
        return subprocess.run(
            [executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return sha + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def _add_what_is_missing(scale: str) -> None:
    """A city generated before the intake and policy pages existed lacks their data: add it."""
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from demo.citygen import SCALES, add_intake_and_policy
    from teams.models import Team

    if User.objects.filter(role=Role.POLICY_OFFICER).exists():
        return
    municipality = Team.objects.order_by("pk").first().municipality
    print("Adding the policy officer, partners, referrals and figures to the city", flush=True)
    with transaction.atomic():
        add_intake_and_policy(municipality, SCALES[scale], seed=2015, today=timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _refresh_tallies() -> None:
    """Recount the pre-aggregated case counts the city's changes left stale (all of them in a city
    generated before they existed), so that no measured request does it."""
    from django.db import connection

    from insights import tallies

    started = time.monotonic()
    days = tallies.refresh()
    if days:
        print(
            f"Recounted the pre-aggregated counts of {days:,} days in {time.monotonic() - started:.0f} s", flush=True
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE insights_tally")


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def page_p95_target(name: str) -> int:
    return next((limit for prefix, limit in P95_BY_PAGE.items() if name.startswith(prefix)), P95)


def tables(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Measured {results['measured_at']} at commit `{results['commit']}` on {m['cores']} cores ({m['cpu']}), "
        f"{m['memory_gb']} GB, PostgreSQL {m['postgresql']} on the same machine, Python {m['python']}; "
        f"load average before the run {', '.join(map(str, m['load_average_before']))}.",
        "",
        f"City: {results['city']}.",
        "",
        "| page (role) | median ms | p95 ms | Python CPU ms | Python calls | queries | floor median ms "
        "| page/floor | time target met | ratio ≤ 3 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for page in results["pages"]:
        ratio = page["ratio"]
        p95 = page_p95_target(page["name"])
        fast = page["median_ms"] <= MEDIAN and page["p95_ms"] <= p95
        floor = f"{page['floor_median_ms']:.2f}" if page["floor_median_ms"] is not None else "-"
        calls = f"{page['python_calls']:,}" if page.get("python_calls") is not None else "-"
        lines.append(
            f"| {page['name']} ({page['role']}) | {page['median_ms']:.1f} | {page['p95_ms']:.1f} "
            f"| {page.get('python_cpu_ms', '-')} | {calls} | {page['queries']} "
            f"| {floor} | {ratio if ratio is not None else '-'} | {_mark(fast)} (≤ {MEDIAN} / {p95}) "
            f"| {_mark(ratio is None or ratio <= RATIO)} |"
        )
    log = results.get("access_log")
    if log:
        lines += [
            "",
            "What the access-log write costs per request, in-process, interleaved with and without it:",
            "",
            "| page | with ms | without ms | cost |",
            "|---|---:|---:|---:|",
        ]
        for name, row in log.items():
            lines.append(f"| {name} | {row['with_ms']:.2f} | {row['without_ms']:.2f} | {row['cost_percent']} % |")
    load = results.get("load")
    if load:
        lines += [
            "",
            (
                f"Load test (not rerun: measured {results['load_from']}): "
                if results.get("load_from")
                else "Load test: "
            )
            + f"locust on loopback against gunicorn with {load['workers']} workers, "
            f"{load['16']['seconds']} s per run, closed loop (no think time). The 16-user runs with and "
            "without access log alternate twice; the better of each pair is shown "
            f"(with: {load['16']['all_rps']}, without: {load['16_without_access_log']['all_rps']} req/s).",
            "",
            "| users | req/s | median ms | p95 ms | failures | load average after | server CPU ms/request "
            "| capacity estimate req/s | target met |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for key, label in (("16", "16"), ("64", "64"), ("16_without_access_log", "16, access log off")):
            run = load[key]
            ok = run["rps"] >= LOAD_RPS and run["p95_ms"] <= LOAD_P95 and run["failures"] == 0
            target = _mark(ok) if key == "16" else "-"
            lines.append(
                f"| {label} | {run['rps']:.1f} | {run['median_ms']:.0f} | {run['p95_ms']:.0f} "
                f"| {run['failures']} | {run['load_average_after']} | {run['server_cpu_ms_per_request']} "
                f"| {run['capacity_rps_estimate']} | {target} |"
            )
        cost, cpu_cost = load["access_log_cost_percent"], load.get("access_log_cost_cpu_percent")
        lines += [
            "",
            f"Access logging costs {cost} % of throughput at 16 users and {cpu_cost} % of the server's CPU "
            f"per request (target ≤ {LOG_COST} %).",
            "",
            "*Python CPU* (pages) is the median CPU time of the Django process per request, without the "
            "database's. *Python calls* (pages) is the number of Python function calls per request (cProfile): "
            "it does not vary with other load on the machine, so it compares code with code across runs. "
            "*Server CPU* (load test) is the CPU time gunicorn and the PostgreSQL backends used "
            "per request during the run, "
            "read from /proc: unlike req/s it hardly depends on other load on the machine. *Capacity estimate* = "
            f"{m['cores']} cores * 1000 / server CPU ms: what this machine would sustain with nothing else running "
            "and the load generator elsewhere.",
        ]
    return "\n".join(lines)


def write_docs(results: dict) -> None:
    (DOCS / "performance.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    page = DOCS / "performance.md"
    text = page.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{page} lacks the {START} … {END} markers")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    page.write_text(f"{before}{START}\n{tables(results)}\n{END}{after}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="required unless --tables-only")
    parser.add_argument("--scale", default="city")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=45, help="per load-test run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in the load test")
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    parser.add_argument(
        "--quiet-below", type=float, help="wait (up to 10 min) for the load average to fall below this first"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument("--tables-only", action="store_true", help="rewrite the tables from docs/performance.json")
    args = parser.parse_args()
    if args.tables_only:
        write_docs(json.loads((DOCS / "performance.json").read_text(encoding="utf-8")))
        return

    if not (args.database_url or "").startswith("postgres"):
        raise SystemExit("make bench measures PostgreSQL: give a postgres:// DATABASE_URL")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("WIJKTEAM_ENV", "test")
    ensure_database(args.database_url)

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from bench.pages import access_log_cost, run_pages  # sets Django up

    results = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "city": None,
        "machine": None,
        "pages": [],
    }
    generation = prepare_city(args.scale)
    results["city"] = city_summary(generation)
    wait_for_quiet(args.quiet_below)
    results["machine"] = machine()
    results["pages"] = run_pages(repeat=args.repeat)
    results["access_log"] = access_log_cost(repeat=args.repeat)
    if not args.no_load:
        from bench.load import run_load

        wait_for_quiet(args.quiet_below)
        results["load"] = run_load(args.seconds, args.workers)
    elif (DOCS / "performance.json").exists():
        # Pages only: keep the last load test's figures, labelled with when and where they were measured.
        earlier = json.loads((DOCS / "performance.json").read_text(encoding="utf-8"))
        if "load" in earlier:
            results["load"] = earlier["load"]
            results["load_from"] = earlier.get("load_from") or f"{earlier['measured_at']}, commit {earlier['commit']}"
    print()
    print(tables(results))
    if not args.no_write:
        write_docs(results)
        print("\nWritten: docs/performance.json and the tables in docs/performance.md")


def city_summary(generation: dict) -> str:
    from cases.models import Case
    from contacts.models import Contact
    from people.models import Household, Resident
    from plans.models import Plan
    from privacy.models import AccessLog

    counts = {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "cases": Case.objects.count(),
        "contacts": Contact.objects.count(),
        "plans": Plan.objects.count(),
        "access-log rows": AccessLog.objects.count(),
    }
    text = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    if generation.get("generated"):
        text += f"; generated in {generation['seconds']} s by this run"
    return text


if __name__ == "__main__":
    main()
