"""The fixed clock of a test run, so that no test can depend on the hour it happens to run at.

``WIJKTEAM_TEST_NOW=2027-03-28T06:30:00+02:00`` (an ISO moment with its UTC offset) makes every
clock of the test process start at that moment and run on from there (time-machine, with tick):
``timezone.now()``, ``date.today()``, ``time.time()``. ``src/conftest.py`` and ``e2e/conftest.py``
start it for the test process; the browser journeys also run the demo loader and the server under
it (``python -m e2e.clock <module or script> ...``). ``make test`` runs the SQLite suite and the
browser journeys at a fixed moment; ``make test-clocks`` runs the suite at each moment of
``CLOCKS`` below (docs/development.md).
"""

from __future__ import annotations

import os
import runpy
import sys
from datetime import datetime

ENV = "WIJKTEAM_TEST_NOW"

# Moments at which the suite must pass, in local (Amsterdam) time: just after midnight, early
# morning, a minute before nine, a minute before midnight, and on the two days the clocks change
# (29 March 2026 has no 02:30; 25 October 2026 has it twice).
CLOCKS = (
    "2026-12-08T00:30:00+01:00",
    "2026-12-08T06:30:00+01:00",
    "2026-12-08T08:59:00+01:00",
    "2026-12-08T23:59:00+01:00",
    "2027-03-28T06:30:00+02:00",
    "2026-10-25T02:30:00+01:00",
)

_traveller = None


def start_from_env() -> datetime | None:
    """Start the fixed clock when WIJKTEAM_TEST_NOW is set; the moment, or None."""
    global _traveller
    value = os.environ.get(ENV, "").strip()
    if not value or _traveller is not None:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise SystemExit(f"{ENV}={value!r} needs its UTC offset, e.g. 2027-03-28T06:30:00+02:00")
    import time_machine

    _traveller = time_machine.travel(moment, tick=True)
    _traveller.start()
    return moment


def env_at_our_moment(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a process started now: under a fixed clock it starts at the moment this process
    is at now (not at the run's first moment), so that all clocks of the run agree."""
    if not env.get(ENV):
        return env
    from datetime import UTC

    return {**env, ENV: datetime.now(UTC).isoformat()}


def main(argv: list[str]) -> None:
    """``python -m e2e.clock gunicorn wijkteam.wsgi ...`` or ``python -m e2e.clock manage.py migrate``."""
    start_from_env()
    target, *args = argv
    sys.argv = [target, *args]
    if target.endswith(".py"):
        runpy.run_path(target, run_name="__main__")
    else:
        runpy.run_module(target, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
