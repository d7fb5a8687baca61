"""The layers point one way (core <- importers, search <- service), and the architecture
check that CI runs (`lint-imports`, contracts in pyproject.toml) notices when they don't.

Each case copies the packages to a temporary directory, adds one import against a layer,
and runs the real `lint-imports` there: it must fail and name the broken contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

PACKAGES = ("core", "importers", "search", "service")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def copy_of_the_project(destination: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            PROJECT_ROOT / package,
            destination / package,
            ignore=shutil.ignore_patterns("__pycache__", "locales", "static", "migrations"),
        )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env={"PYTHONPATH": str(project), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_project_keeps_its_import_contracts(tmp_path: Path) -> None:
    result = lint_imports(copy_of_the_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("core/kinds.py", "import service.app", "nothing imports a layer above it"),
        ("importers/pipeline.py", "import service.cli.main", "nothing imports a layer above it"),
        ("search/query.py", "import service.web.pages", "nothing imports a layer above it"),
        ("search/query.py", "import importers.pipeline", "nothing imports a layer above it"),
        ("importers/locate.py", "import search.query", "nothing imports a layer above it"),
        ("search/matching/age.py", "import core.db", "the matching rules are pure"),
    ],
)
def test_an_import_against_the_layers_fails_the_check(
    tmp_path: Path, module: str, forbidden_import: str, contract: str
) -> None:
    project = copy_of_the_project(tmp_path)
    source = project / module
    source.write_text(f"{forbidden_import}  # a violation\n{source.read_text()}")

    result = lint_imports(project)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
    assert forbidden_import.split()[1] in result.stdout
