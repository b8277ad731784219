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
from cases.models import Case

RESULTS = ROOT / "bench" / "results"
PORT = 8899
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


def run_locust(users: int, seconds: int, name: str, users_file: Path) -> dict:
    prefix = RESULTS / f"load_{name}"
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
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
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
            run = run_locust(users, seconds, key, users_file)
        finally:
            stop_server(server)
        run["load_average_after"] = round(os.getloadavg()[0], 2)
        results[key] = run
        print(
            f"{key:>28}: {run['rps']:>7.1f} req/s  median {run['median_ms']:>6.0f} ms  "
            f"p95 {run['p95_ms']:>6.0f} ms  failures {run['failures']}  (load average {run['load_average_after']})",
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
    print(f"access logging costs {results['access_log_cost_percent']} % of throughput at 16 users")
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
