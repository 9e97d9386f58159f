"""The import directions of ARCHITECTURE.md and thin views, checked by reading the source.

Parsed with `ast` (nothing is imported), so a rule broken in any module fails here with
the file and line, whether or not a test imports that module.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "inclusion"
DOMAIN_APPS = {"plans", "measures", "register", "assessments", "pathways", "directory", "reporting"}

# app -> the apps it must never import, and why (ARCHITECTURE.md, "Which way the arrows point").
FORBIDDEN: dict[str, tuple[set[str], str]] = {
    "core": (DOMAIN_APPS, "core imports no domain app"),
    "accounts": (DOMAIN_APPS, "accounts imports no domain app"),
    "directory": (
        {"register", "assessments", "pathways"},
        "the public Local Offer cannot reach a child's record by any path",
    ),
    "reporting": (
        DOMAIN_APPS - {"reporting"},
        "reporting is shared export machinery: no domain app",
    ),
    "measures": (
        DOMAIN_APPS - {"measures", "reporting"},
        "measures knows no domain app: apps register their computed measures with it",
    ),
}

MANAGERS = {"objects", "_default_manager", "_base_manager"}
# `Model.objects.none()` reads nothing (DRF wants a queryset on a class; the real one is
# per user), so it is no query of partnership data.
HARMLESS_METHODS = {"none"}
# (module, "Model.objects.method") -> why it may stay. Keep it short: each entry is a
# query that skips the selectors, so say when it goes.
OBJECTS_ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str

    def __str__(self) -> str:
        return f"{where(self.path)}:{self.line} imports {self.module}"


def where(path: Path) -> str:
    return (
        str(path.relative_to(PACKAGE.parent)) if path.is_relative_to(PACKAGE.parent) else str(path)
    )


def python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if "migrations" not in path.parts)


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from inclusion import plans` imports the app as surely as `import inclusion.plans`.
            found += [
                Import(path, node.lineno, f"{node.module}.{alias.name}") for alias in node.names
            ]
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "inclusion" else None


def apps() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_in_the_allowed_direction(app):
    forbidden, why = FORBIDDEN[app]
    root = PACKAGE / app
    if not root.exists():
        pytest.skip(f"inclusion.{app} does not exist yet")

    broken = [
        str(imp)
        for path in python_files(root)
        for imp in imports_of(path)
        if app_of(imp.module) in forbidden
    ]

    assert not broken, f"{why} (ARCHITECTURE.md):\n" + "\n".join(broken)


def test_the_rules_name_only_real_app_names():
    """A misspelt app in FORBIDDEN would silently check nothing."""
    known = DOMAIN_APPS | {"core", "accounts", "config"}
    named = set(FORBIDDEN) | {app for forbidden, _ in FORBIDDEN.values() for app in forbidden}

    assert named <= known
    assert set(apps()) <= known, (
        f"new app(s) {set(apps()) - known}: add them to DOMAIN_APPS or the rules"
    )


def view_modules() -> list[Path]:
    """Views and API modules: `<app>/views.py`, `<app>/views_*.py`, `<app>/views/*.py`, `<app>/api/*.py`."""
    found: set[Path] = set()
    for app in PACKAGE.iterdir():
        if not (app / "__init__.py").exists():
            continue
        found.update(app.glob("views*.py"))
        found.update(app.glob("views/*.py"))
        found.update(app.glob("api/*.py"))
    return sorted(found)


@dataclass(frozen=True)
class ManagerUse:
    path: Path
    line: int
    expression: str  # "Plan.objects.filter"

    def __str__(self) -> str:
        return f"{where(self.path)}:{self.line} uses {self.expression}"


def objects_uses(path: Path) -> list[ManagerUse]:
    """Each `Model.objects.<method>` (or another manager) in the module, but `.none()`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # The attribute read off each manager (`.filter` of `Plan.objects`), by the manager node.
    method_of = {
        id(node.value): node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)
    }
    uses = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        method = method_of.get(id(node), "")
        if method in HARMLESS_METHODS:
            continue
        expression = ast.unparse(node) + (f".{method}" if method else "")
        uses.append(ManagerUse(path, node.lineno, expression))
    return sorted(uses, key=lambda use: use.line)


def test_views_and_the_api_reach_models_only_through_selectors_and_services():
    """Views parse, authorise and call a selector or service (STYLE.md); one that queries a
    manager itself would skip the partnership scoping the selectors apply."""
    modules = view_modules()
    assert modules, "no view modules found: has the layout changed?"

    uses = [
        str(use)
        for path in modules
        for use in objects_uses(path)
        if (where(path), use.expression) not in OBJECTS_ALLOWED
    ]

    assert not uses, "Call a selector or service instead:\n" + "\n".join(uses)


def test_the_allowed_manager_uses_still_exist():
    """An allow-list entry whose query has gone should go too, so it cannot cover a new one."""
    found = {(where(path), use.expression) for path in view_modules() for use in objects_uses(path)}

    stale = set(OBJECTS_ALLOWED) - found
    assert not stale, f"remove from OBJECTS_ALLOWED: {sorted(stale)}"


def test_the_checks_see_a_broken_rule(tmp_path):
    """The parsers find what the rules look for (a check that finds nothing proves nothing)."""
    source = tmp_path / "views.py"
    source.write_text(
        "import inclusion.plans.models\n"
        "from inclusion.register import services\n"
        "from inclusion import assessments\n"
        "def view(request):\n"
        "    Plan.objects.none()\n"
        "    return Plan.objects.filter(partnership=request.user.partnership)\n",
        encoding="utf-8",
    )
    modules = {app_of(imp.module) for imp in imports_of(source)}
    uses = objects_uses(source)

    assert modules == {"plans", "register", "assessments"}
    assert [use.expression for use in uses] == ["Plan.objects.filter"]
