"""The locks install on a fresh machine whatever the package index holds by then.

`make install` bootstraps the installer from requirements/pip.lock, then installs
requirements/dev.lock with --require-hashes (CI does this into a new venv made by the machine's own
python3.11 on every run). Hash-checking mode refuses any requirement the lock does not pin, so the
lock must pin every package that a locked package asks for, with every extra it asks for (weasyprint
asks for fonttools[woff], which asks for brotli and zopfli). These tests read the installed
distributions' metadata and check that against both locks.
"""

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall((ROOT / lock).read_text())}


def missing_from(lock: str) -> list[str]:
    """Requirements of the locked packages (with the extras other locked packages ask for) that the
    lock does not pin, or pins at a version outside the requirement."""
    locked = pins(lock)
    wanted: dict[str, set[str]] = {name: {""} for name in locked}
    problems, seen = [], set()
    while True:
        todo = [(name, extra) for name, extras in wanted.items() for extra in extras if (name, extra) not in seen]
        if not todo:
            return problems
        for name, extra in todo:
            seen.add((name, extra))
            for text in metadata.distribution(name).requires or []:
                requirement = Requirement(text)
                if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
                    continue
                needed = canonicalize_name(requirement.name)
                if needed not in locked:
                    problems.append(f"{name}[{extra}] needs {requirement}, which {lock} does not pin")
                elif not requirement.specifier.contains(locked[needed], prereleases=True):
                    problems.append(f"{name}[{extra}] needs {requirement}, {lock} pins {locked[needed]}")
                else:
                    wanted.setdefault(needed, {""}).update(requirement.extras or set())


@pytest.mark.parametrize("lock", ["requirements/main.lock", "requirements/dev.lock"])
def test_every_locked_package_finds_what_it_needs_in_the_lock(lock):
    assert missing_from(lock) == []


def test_the_installer_is_locked_and_installed_first():
    assert set(pins("requirements/pip.lock")) == {"pip"}
    assert "--hash=sha256:" in (ROOT / "requirements/pip.lock").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.index("-r requirements/pip.lock") < makefile.index("-r requirements/dev.lock")
    assert metadata.version("pip") == pins("requirements/pip.lock")["pip"]
