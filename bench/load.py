"""The load test: gunicorn on loopback, locust headless with 16 and 64 concurrent users.

Also measures what the access log costs: the same 16-user run against a server whose access-log
writes are switched off inside the benchmark process only (bench/wsgi_without_access_log.py);
the application itself has no such switch.

    DATABASE_URL=postgres://... .venv/bin/python bench/load.py --seconds 45 --json out.json
"""

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkteam.settings")
os.environ.setdefault("WIJKTEAM_ENV", "test")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count, Q

from accounts.models import Role, User
from accounts.twofactor import verified_session
from cases.models import Case
from plans.models import Plan

RESULTS = ROOT / "bench" / "results"
PORT = 8899
CORES = os.cpu_count() or 1
CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def load_users(count: int) -> list[dict]:
    """The busiest social workers, each with a session and the work they would look at."""
    workers = (
        User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True)
        .annotate(open_cases=Count("cases_as_regisseur", filter=~Q(cases_as_regisseur__status="afgesloten")))
        .order_by("-open_cases", "pk")[:count]
    )
    profiles = []
    for user in workers:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.update(verified_session(user))  # both sign-in steps passed
        session.create()
        cases = list(Case.objects.open().filter(regisseur=user).select_related("resident").order_by("pk")[:40])
        residents = [case.resident for case in cases]
        profiles.append(
            {
                "user": user.username,
                "session": session.session_key,
                "csrf": "".join(secrets.choice(CSRF_CHARS) for _ in range(32)),
                "cases": [case.pk for case in cases],
                "households": sorted({case.household_id for case in cases}),
                "plans": sorted(
                    Plan.objects.filter(household__in={case.household_id for case in cases}).values_list(
                        "household_id", flat=True
                    )
                ),
                "names": sorted({r.geslachtsnaam[:5].lower() for r in residents}),
                "postcodes": sorted({f"{r.postcode} {r.huisnummer}" for r in residents}),
                "bsns": sorted({r.bsn for r in residents if r.bsn}),
            }
        )
    return profiles


def start_server(wsgi: str, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            wsgi,
            "--chdir",
            str(ROOT / "src"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
            "--preload",  # the workers fork from a loaded application: no imports during the run
        ],
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return children


def warm_up(users_file: Path) -> None:
    """A few requests of every kind, so that each worker has compiled its templates and filled its
    caches before the measured run."""
    profile = json.loads(users_file.read_text(encoding="utf-8"))[0]
    cookie = f"sessionid={profile['session']}; csrftoken={profile['csrf']}"
    paths = ["/mijn-werk/", f"/zaken/{profile['cases'][0]}/", f"/huishoudens/{profile['households'][0]}/"]
    paths += ["/inwoners/?q=" + profile["names"][0], "/api/v1/cases/?mine=true"]
    for _ in range(8):
        for path in paths:
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
            urllib.request.urlopen(request, timeout=30).read()  # noqa: S310 - http on loopback


def _server_cpu(server: subprocess.Popen) -> dict:
    """CPU seconds per process of the server side: gunicorn's master and workers, and the
    PostgreSQL backends of the benchmark database (not this process's own connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    gunicorn = [server.pid, *_children(server.pid)]
    return {pid: _cpu_seconds(pid) for pid in [*gunicorn, *backends]} | {"gunicorn": gunicorn}


def run_locust(users: int, seconds: int, name: str, users_file: Path, server: subprocess.Popen) -> dict:
    """One locust run. Besides what locust reports, the CPU time the server side (gunicorn and
    PostgreSQL) and locust itself used per request: robust against other load on the machine,
    and the basis of the capacity estimate for an otherwise idle machine."""
    prefix = RESULTS / f"load_{name}"
    warm_up(users_file)
    server_before = _server_cpu(server)
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "WIJKTEAM_LOAD_USERS": str(users_file)},
        check=False,
        capture_output=True,
    )
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_after = _server_cpu(server)
    gunicorn = set(server_after.pop("gunicorn"))
    server_before.pop("gunicorn")
    delta = {pid: cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items()}
    server_cpu = sum(delta.values())
    python_cpu = sum(cpu for pid, cpu in delta.items() if pid in gunicorn)
    locust_cpu = (locust_after.ru_utime + locust_after.ru_stime) - (locust_before.ru_utime + locust_before.ru_stime)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    return {
        "users": users,
        "seconds": seconds,
        "requests": requests,
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
        "server_cpu_ms_per_request": round(1000 * server_cpu / requests, 2) if requests else None,
        "python_cpu_ms_per_request": round(1000 * python_cpu / requests, 2) if requests else None,
        "locust_cpu_ms_per_request": round(1000 * locust_cpu / requests, 2) if requests else None,
        "capacity_rps_estimate": round(CORES * requests / server_cpu) if server_cpu else None,
        "per_endpoint": {
            row["Name"]: {
                "rps": round(float(row["Requests/s"]), 1),
                "median_ms": float(row["Median Response Time"]),
                "p95_ms": float(row["95%"]),
                "failures": int(row["Failure Count"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def run_load(seconds: int = 45, workers: int = 4) -> dict:
    """16 and 64 users against the application; then, to measure what the access log costs, 16
    users against the application and against it without access-log writes, alternating twice so
    that other load on the machine hits both alike. The better of each pair counts."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    users_file = RESULTS / "load_users.json"
    users_file.write_text(json.dumps(load_users(64)), encoding="utf-8")
    results: dict = {"workers": workers}
    plan = [
        ("wijkteam.wsgi", 16, "16"),
        ("wijkteam.wsgi", 64, "64"),
        ("bench.wsgi_without_access_log", 16, "16_without_access_log"),
        ("wijkteam.wsgi", 16, "16_again"),
        ("bench.wsgi_without_access_log", 16, "16_without_access_log_again"),
    ]
    for wsgi, users, key in plan:
        server = start_server(wsgi, workers)
        try:
            run = run_locust(users, seconds, key, users_file, server)
        finally:
            stop_server(server)
        run["load_average_after"] = round(os.getloadavg()[0], 2)
        results[key] = run
        print(
            f"{key:>28}: {run['rps']:>7.1f} req/s  median {run['median_ms']:>6.0f} ms  "
            f"p95 {run['p95_ms']:>6.0f} ms  failures {run['failures']}  (load average {run['load_average_after']}); "
            f"server CPU {run['server_cpu_ms_per_request']} ms/request, "
            f"capacity ≈ {run['capacity_rps_estimate']} req/s",
            flush=True,
        )
    for key in ("16", "16_without_access_log"):
        again = results.pop(f"{key}_again")
        results[key]["all_rps"] = [results[key]["rps"], again["rps"]]
        if again["rps"] > results[key]["rps"]:
            again["all_rps"] = results[key]["all_rps"]
            results[key] = again
    with_log, without_log = results["16"]["rps"], results["16_without_access_log"]["rps"]
    results["access_log_cost_percent"] = (
        round(100 * (without_log - with_log) / without_log, 1) if without_log else None
    )
    cpu_with = results["16"]["server_cpu_ms_per_request"]
    cpu_without = results["16_without_access_log"]["server_cpu_ms_per_request"]
    results["access_log_cost_cpu_percent"] = (
        round(100 * (cpu_with - cpu_without) / cpu_with, 1) if cpu_with and cpu_without else None
    )
    print(
        f"access logging costs {results['access_log_cost_percent']} % of throughput at 16 users, "
        f"{results['access_log_cost_cpu_percent']} % of server CPU per request"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=45)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = run_load(args.seconds, args.workers)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
