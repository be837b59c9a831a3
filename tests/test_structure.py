"""The structure the services share, checked on the sources: one typed runtime built once, module
routers with short handlers, one authorization vocabulary (permissions, never role names)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "libs/common/src/hotline_common", *sorted((ROOT / "services").glob("*/src/*"))]
SOURCES = [s for s in SOURCES if s.is_dir() and not s.name.endswith(".egg-info")]
HANDLER_LINES = 45
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "api_route"}


def python_files() -> list[Path]:
    return [p for s in SOURCES for p in s.rglob("*.py") if "migrations" not in p.parts]


def template_files() -> list[Path]:
    return [p for s in SOURCES for p in s.rglob("templates/**/*.html")]


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


# principal.role == / in …, == Role.X, role == "director" (a template).
ROLE_COMPARISON = re.compile(
    r"principal\.role\s*(==|!=|in\b|not in\b)|\bRole\.[A-Z_]+\s*(==|!=)|(==|!=)\s*Role\.[A-Z_]+|\brole\s*(==|!=)\s*[\"']"
)


def test_no_role_name_comparisons_outside_the_permission_table():
    found = []
    for path in python_files() + template_files():
        if path.name == "auth.py" and path.parent.name == "hotline_common":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_COMPARISON.search(line):
                found.append(f"{where(path, number)}: {line.strip()}")
    assert found == [], "decide by permission (principal.can / require / a may_… predicate):\n" + "\n".join(found)


def decorated_routes(tree: ast.AST) -> list[ast.AsyncFunctionDef | ast.FunctionDef]:
    routes = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                call = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(call, ast.Attribute) and call.attr in HTTP_METHODS:
                    routes.append(node)
    return routes


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.name)
def test_routes_are_short_module_level_handlers(source):
    problems = []
    for path in (p for p in source.rglob("*.py") if "migrations" not in p.parts):
        tree = ast.parse(path.read_text())
        top_level = {id(n) for n in tree.body}
        for route in decorated_routes(tree):
            if id(route) not in top_level:
                problems.append(f"{where(path, route.lineno)}: {route.name} is a closure; make it module-level")
            length = (route.end_lineno or route.lineno) - route.lineno + 1
            if length > HANDLER_LINES:
                problems.append(
                    f"{where(path, route.lineno)}: {route.name} has {length} lines (at most {HANDLER_LINES})"
                )
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in ("router", "mount") and node.args.args:
                problems.append(f"{where(path, node.lineno)}: {node.name}(runtime) builds routes; use a module router")
    assert problems == [], "\n".join(problems)


def test_nothing_is_added_to_a_runtime_after_it_is_built():
    found = []
    for path in python_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.match(r"\s*runtime\.\w+\s*=[^=]", line):
                found.append(f"{where(path, number)}: {line.strip()}")
    assert found == [], "set a runtime's parts in its class's __init__:\n" + "\n".join(found)


def test_no_import_hidden_inside_a_function_between_a_services_concepts():
    """A function-local import of the service's own package dodges a cycle; the layering is one-way."""
    found = []
    for source in SOURCES[1:]:
        for path in (p for p in source.rglob("*.py") if "migrations" not in p.parts):
            if path.name in ("__main__.py", "database.py", "cli.py"):  # model registration, CLI start-up
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                # A CLI command builds the app lazily, so `--help` stays fast.
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.endswith("_command"):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.ImportFrom) and (inner.module or "").split(".")[0] == source.name:
                            found.append(f"{where(path, inner.lineno)}: from {inner.module} import … in {node.name}")
    assert found == [], "\n".join(found)
