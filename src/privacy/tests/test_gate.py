"""One gate to a dossier: views and API views fetch cases, households and residents only through
``visible_to(user)`` or the ``get_*_for`` functions of privacy.access."""

import ast
from pathlib import Path

from django.conf import settings

# Fetched only through the gate or a model's visible_to(user).
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
# Parts of a dossier: read through the gated record they belong to (``case.contacts``,
# ``Plan.objects.filter(household=household)``), never picked by an id from the request.
PARTS = {"NetworkMember", "Plan", "Contact", "Conversation", "Assessment", "Referral"}
BY_ID = {"pk", "id", "pk__in", "id__in"}
# Every module that answers a request or shows data: pages and their forms, the API, template tags
# and the exports (CSV, Excel, PDF) that the views make. Services, selectors, the gate and the
# models receive what the gate let through.
VIEW_MODULES = ("*/views.py", "*/api.py", "*/*_api.py", "*/forms.py", "*/templatetags/*.py", "casework/residents.py")


def _view_files() -> list[Path]:
    files = {p for pattern in VIEW_MODULES for p in settings.SRC_DIR.glob(pattern)}
    exports = {
        p
        for p in settings.SRC_DIR.glob("*/*.py")
        if any(word in p.read_text(encoding="utf-8") for word in ("csv_response", "xlsx_response", "pdf_response"))
    }
    return sorted(
        files | exports - {settings.SRC_DIR / "wijkteam" / "exports.py", settings.SRC_DIR / "wijkteam" / "pdf.py"}
    )


GATES = {
    "get_case_for",
    "get_household_for",
    "get_resident_for",
    "get_consultation_for",
    "get_advice_for",
    "get_network_member_for",
}


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
        # Part.objects.get(...) / .filter(pk=...) / .in_bulk(...): a part picked by an id
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "objects"
            and isinstance(node.func.value.value, ast.Name)
            and node.func.value.value.id in PARTS
            and (
                node.func.attr in {"get", "in_bulk"}
                or (node.func.attr == "filter" and any(k.arg in BY_ID for k in node.keywords))
            )
        ):
            model, method = node.func.value.value.id, node.func.attr
            problems.append(f"{path.relative_to(settings.SRC_DIR)}:{node.lineno} {model}.objects.{method}")
        # get_object_or_404(Model, ...) / get_list_or_404(Model, ...)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in GUARDED | PARTS
        ):
            problems.append(f"{path.relative_to(settings.SRC_DIR)}:{node.lineno} {node.func.id}({node.args[0].id})")
    return problems


def test_views_reach_dossiers_only_through_the_gate():
    files = _view_files()
    names = {str(path.relative_to(settings.SRC_DIR)) for path in files}
    assert {"cases/api.py", "casework/views.py", "casework/residents.py", "casework/forms.py"} <= names
    assert any(name.endswith("templatetags/components.py") for name in names)
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


def test_the_scan_catches_a_part_picked_by_id_and_lets_a_gated_read_pass(tmp_path):
    forms = tmp_path / "forms.py"
    forms.write_text(
        "def a(pk):\n    return Plan.objects.get(pk=pk)\n\n"
        "def b(pk):\n    return Contact.objects.filter(id=pk).first()\n\n"
        "def c(pk):\n    return get_object_or_404(Conversation, pk=pk)\n\n"
        "def d(ids):\n    return NetworkMember.objects.in_bulk(ids)\n\n"
        "def e(case):\n    return Contact.objects.filter(case=case)\n\n"
        "def f(household):\n    return Plan.objects.filter(household=household).first()\n"
    )
    settings_src = settings.SRC_DIR
    try:
        settings.SRC_DIR = tmp_path
        found = _violations(forms)
    finally:
        settings.SRC_DIR = settings_src
    assert sorted(problem.split(" ", 1)[1] for problem in found) == [
        "Contact.objects.filter",
        "NetworkMember.objects.in_bulk",
        "Plan.objects.get",
        "get_object_or_404(Conversation)",
    ]


def test_the_scan_covers_forms_template_tags_and_exports(settings, tmp_path):
    app = tmp_path / "someapp"
    (app / "templatetags").mkdir(parents=True)
    (app / "forms.py").write_text("x = Case.objects.all()\n")
    (app / "templatetags" / "tags.py").write_text("x = Resident.objects.first()\n")
    (app / "reports.py").write_text("def r():\n    return csv_response(Assessment.objects.get(pk=1))\n")
    (app / "models.py").write_text("x = Case.objects.all()\n")
    settings.SRC_DIR = tmp_path
    scanned = {str(path.relative_to(tmp_path)) for path in _view_files()}
    assert scanned == {"someapp/forms.py", "someapp/templatetags/tags.py", "someapp/reports.py"}
    assert all(_violations(path) for path in _view_files())
