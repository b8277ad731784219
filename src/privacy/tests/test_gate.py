"""One gate to a dossier: views and API views fetch cases, households and residents only through
``visible_to(user)`` or the ``get_*_for`` functions of privacy.access."""

import ast
from pathlib import Path

from django.conf import settings

GUARDED = {
    "Case",
    "Household",
    "Resident",
    "Consultation",
    "IndicationAdvice",
    "Decision",
    "Allocation",
    "AllocationRequest",
    "Message",
    "ProvisionReferral",
}
VIEW_MODULES = ("views.py", "api.py")


def _view_files() -> list[Path]:
    return sorted(p for name in VIEW_MODULES for p in settings.SRC_DIR.glob(f"*/{name}"))


GATES = {"get_case_for", "get_household_for", "get_resident_for", "get_consultation_for", "get_advice_for"}


def _handed_to_the_gate(tree: ast.AST) -> set[int]:
    """Nodes inside ``queryset=`` of a gate call: a base queryset the gate itself filters."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GATES:
            for keyword in node.keywords:
                if keyword.arg == "queryset":
                    inside.update(id(child) for child in ast.walk(keyword.value))
    return inside


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _handed_to_the_gate(tree)
    problems = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        # Model.objects.<anything> other than visible_to(...)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in GUARDED
            and node.attr != "visible_to"
        ):
            problems.append(
                f"{path.relative_to(settings.SRC_DIR)}:{node.lineno} {node.value.value.id}.objects.{node.attr}"
            )
        # get_object_or_404(Model, ...) / get_list_or_404(Model, ...)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in GUARDED
        ):
            problems.append(f"{path.relative_to(settings.SRC_DIR)}:{node.lineno} {node.func.id}({node.args[0].id})")
    return problems


def test_views_reach_dossiers_only_through_the_gate():
    files = _view_files()
    assert len(files) >= 5, "the scan must see the view modules"
    problems = [problem for path in files for problem in _violations(path)]
    assert not problems, "Fetch dossiers through the gate or visible_to(user):\n" + "\n".join(problems)


def test_the_scan_catches_a_direct_fetch(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text(
        "def v(r, pk):\n    return Case.objects.get(pk=pk)\n\n"
        "def w(r, pk):\n    return get_object_or_404(Resident, pk=pk)\n\n"
        "def x(r, pk):\n"
        "    return get_case_for(r.user, pk, purpose='p', queryset=Case.objects.select_related('team'))\n"
    )
    settings_src = settings.SRC_DIR
    try:
        settings.SRC_DIR = tmp_path
        assert len(_violations(bad)) == 2
    finally:
        settings.SRC_DIR = settings_src
