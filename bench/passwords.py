"""The password step's cost: checking a password with each hasher Wijkteam has used, median of
twenty checks on this machine (the rest of a sign-in is a few milliseconds of queries). Not part of
`make bench`'s city run: it needs no database.

    .venv/bin/python bench/passwords.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkteam.settings")
os.environ.setdefault("WIJKTEAM_ENV", "test")

import django

django.setup()

from django.contrib.auth.hashers import get_hasher

HASHERS = {
    "pbkdf2_sha256": "Django's default (PBKDF2, 1,000,000 rounds), earlier versions of Wijkteam",
    "argon2": "Argon2id, m=19 MiB, t=2, p=1 (accounts.hashers, OWASP)",
}
RUNS = 20
SAMPLE = "een-lang-wachtwoord-voor-de-meting"  # a sample to time, no account's


def median_ms(hasher, password: str = SAMPLE) -> float:
    encoded = hasher.encode(password, hasher.salt())
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert hasher.verify(password, encoded)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    print(f"| hasher | median check (ms), {RUNS} runs |\n|---|---:|")
    for algorithm, label in HASHERS.items():
        print(f"| {label} | {median_ms(get_hasher(algorithm)):.0f} |")


if __name__ == "__main__":
    main()
