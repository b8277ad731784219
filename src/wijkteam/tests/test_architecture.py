"""docs/architecture.md shows the app map drawn from the import-linter contracts (pyproject.toml)."""

import pytest
from django.core.management import call_command

from wijkteam import architecture


def test_the_document_shows_the_map_drawn_from_the_contract():
    text = architecture.document().read_text(encoding="utf-8")
    assert architecture.written(text) == text, (
        "Run `python manage.py architecture --write` and commit docs/architecture.md."
    )


def test_every_app_is_in_the_contract(settings):
    """A new app must be placed in a layer (and given a line), or nothing would check its imports."""
    apps = {path.parent.name for path in settings.SRC_DIR.glob("*/apps.py")}
    importlinter = architecture._config()["tool"]["importlinter"]
    layers = next(c for c in importlinter["contracts"] if c["type"] == "layers")["layers"]
    assert set(layers) == apps
    assert set(importlinter["root_packages"]) == apps


def test_a_map_that_differs_is_found(tmp_path, monkeypatch):
    stale = tmp_path / "architecture.md"
    stale.write_text(f"# A\n\n{architecture.BEGIN}\nold map\n{architecture.END}\n", encoding="utf-8")
    monkeypatch.setattr(architecture, "document", lambda: stale)
    assert architecture.written(stale.read_text(encoding="utf-8")) != stale.read_text(encoding="utf-8")
    call_command("architecture", "--write")
    assert "old map" not in stale.read_text(encoding="utf-8")
    assert architecture.written(stale.read_text(encoding="utf-8")) == stale.read_text(encoding="utf-8")


def test_a_document_without_markers_is_refused(tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    bare = tmp_path / "architecture.md"
    bare.write_text("# A\n", encoding="utf-8")
    monkeypatch.setattr(architecture, "document", lambda: bare)
    with pytest.raises(CommandError):
        call_command("architecture", "--write")
