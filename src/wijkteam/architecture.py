"""The app map of docs/architecture.md, drawn from the import-linter contracts in pyproject.toml
(the layers, the apps that must not know each other, the imports still excepted) and the one line
per app of ``[tool.wijkteam.apps]``. ``manage.py architecture --write`` puts it in the document;
a test fails when the document differs from what this draws."""

import tomllib
from pathlib import Path

from django.conf import settings

BEGIN = "<!-- app map: drawn by `python manage.py architecture --write` from pyproject.toml; do not edit -->"
END = "<!-- end of the app map -->"
TEST_SUPPORT = ("**.tests.** -> **", "*.factories -> **")


def project_root() -> Path:
    return Path(settings.SRC_DIR).parent


def document() -> Path:
    return project_root() / "docs" / "architecture.md"


def _config() -> dict:
    with open(project_root() / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


def app_map() -> str:
    """The section between ``BEGIN`` and ``END``, markers included."""
    config = _config()
    described = config["tool"]["wijkteam"]["apps"]
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")
    apps = list(layers["layers"])
    missing = sorted(set(apps) ^ set(described))
    if missing:
        raise ValueError(f"Layers and [tool.wijkteam.apps] differ: {', '.join(missing)}")
    width = max(len(app) for app in apps)
    lines = [BEGIN, "", "```"]
    for number, app in enumerate(apps):
        if number:
            lines.append(" " * (width // 2) + "│")
        lines.append(f"{app.ljust(width)}   {described[app]}")
    lines += ["```", ""]
    lines.append(
        "From the top: an app imports only from the apps below it. `make lint` checks it with import-linter "
        "(the `layers` contract in pyproject.toml), imports inside functions included; tests and factories "
        "may import any app."
    )
    pairs = [c["modules"] for c in contracts if c["type"] == "independence"]
    if pairs:
        lines += ["", "Apps that must not know each other, directly or through another app:", ""]
        lines += [f"- `{a}` and `{b}`" for a, b in pairs]
    debt = [rule for rule in layers.get("ignore_imports", []) if rule not in TEST_SUPPORT]
    if debt:
        lines += [
            "",
            f"Imports that still point upwards ({len(debt)}, known debt of issue 19, to be removed; "
            "an entry that no longer matches fails the check, so the list can only shrink):",
            "",
        ]
        lines += [f"- `{rule}`" for rule in debt]
    lines += ["", END]
    return "\n".join(lines)


def written(text: str) -> str:
    """``text`` (the document) with its app map replaced by the one drawn now."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + app_map() + text[end:]
