"""The house: records below everything, one-way arrows, short modules.

web → matchmaker → indexer → models        (matchmaker/cli, the shell, may start web)
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"models", "indexer", "matchmaker", "web"}
# Which of our packages each layer may import (besides itself).
MAY_IMPORT = {
    "models": set(),
    "indexer": {"models"},
    "matchmaker": {"indexer", "models"},
    "web": {"matchmaker", "indexer", "models"},
}
SHELL = ROOT / "matchmaker" / "cli"  # serve and demo start the web app
LINE_LIMIT = 400
# Generated migrations and hand-written sample texts are data, not code to live in.
DATA_MODULES = {"scripts/sample_requirements.py", "scripts/sample_archetypes.py"}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_imports_run_one_way(layer):
    wrong = {}
    for path in _modules(layer):
        if path.is_relative_to(SHELL):
            continue
        upward = _imported_packages(path) - MAY_IMPORT[layer] - {layer}
        if upward:
            wrong[str(path.relative_to(ROOT))] = sorted(upward)
    allowed = sorted(MAY_IMPORT[layer]) or "nothing else of ours"
    assert not wrong, f"{layer} may import only {allowed}: {wrong}"


def test_the_walk_sees_an_upward_import(tmp_path):
    """The check can fail: a record module importing the engines is caught."""
    module = tmp_path / "bad.py"
    module.write_text("from indexer.taxonomy import default_taxonomy\nimport web.app\n", encoding="utf-8")
    assert _imported_packages(module) == {"indexer", "web"}


def test_no_module_is_over_400_lines():
    long = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "models/migrations/", "build/")) or relative in DATA_MODULES:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > LINE_LIMIT:
            long[relative] = lines
    assert not long, f"modules over {LINE_LIMIT} lines: {long}"
