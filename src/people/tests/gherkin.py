"""A small reader of RvIG's Gherkin specification (``data/brp/features/``, Dutch keywords): the
scenarios as steps with their tables, abstract scenarios expanded per row of their examples.

Only what the BRP features use: ``Scenario``/``Abstract Scenario`` with ``Voorbeelden``, steps
(``Gegeven``, ``En``, ``Als``, ``Dan``, ``Maar``, ``*``) and their tables; comments, the rules' tables and
``Achtergrond`` are not scenarios."""

import re
from dataclasses import dataclass, field
from pathlib import Path

STEP = re.compile(r"^(Gegeven|En|Als|Dan|Maar|Wanneer|\*)\s+(.*)$")


@dataclass
class Step:
    text: str
    table: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Scenario:
    file: str
    line: int
    title: str
    steps: list[Step]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(rows: list[list[str]]) -> list[dict[str, str]]:
    head, *body = rows
    return [dict(zip(head, row, strict=False)) for row in body]


def _fill(text: str, example: dict[str, str]) -> str:
    for key, value in example.items():
        text = text.replace(f"<{key}>", value)
    return text


def read(path: Path, root: Path) -> list[Scenario]:
    """Every scenario of one feature file, abstract ones once per example row."""
    scenarios: list[Scenario] = []
    current: dict | None = None
    rows: list[list[str]] = []
    target: str | None = None  # "step" or "examples": what the table rows belong to

    def close_table():
        nonlocal rows
        if current is not None and rows:
            if target == "step" and current["steps"]:
                current["steps"][-1].table = _table(rows)
            elif target == "examples":
                current["examples"].extend(_table(rows))
        rows = []

    def close_scenario():
        close_table()
        if current is None:
            return
        name = str(path.relative_to(root))
        if current["examples"]:  # with examples, whatever its keyword (Gherkin 6); without, one scenario
            for n, example in enumerate(current["examples"]):
                steps = [
                    Step(_fill(s.text, example), [{k: _fill(v, example) for k, v in r.items()} for r in s.table])
                    for s in current["steps"]
                ]
                scenarios.append(Scenario(name, current["line"] * 100 + n, _fill(current["title"], example), steps))
        else:
            scenarios.append(Scenario(name, current["line"], current["title"], current["steps"]))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("|"):
            if current is not None and target:
                rows.append(_cells(line))
            continue
        close_table()
        if line.startswith(("Scenario:", "Abstract Scenario:", "Scenario Outline:")):
            close_scenario()
            title = line.split(":", 1)[1].strip()
            current = {"line": number, "title": title, "steps": [], "examples": [], "abstract": "Abstract" in line}
            target = None
        elif line.startswith(("Regel:", "Rule:", "Functionaliteit:", "Achtergrond:")):
            close_scenario()
            current, target = None, None
        elif line.startswith("Voorbeelden:") and current is not None:
            target = "examples"
        elif current is not None and (match := STEP.match(line)):
            current["steps"].append(Step(match.group(2)))
            target = "step"
        else:
            target = None
    close_scenario()
    return scenarios


def scenarios(root: Path, folders: list[str]) -> list[Scenario]:
    found = []
    for folder in folders:
        for path in sorted((root / folder).rglob("*.feature")):
            found.extend(read(path, root))
    return found
