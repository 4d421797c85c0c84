"""The layers hold (README, "Layers"): `lint-imports` keeps pyproject.toml's contracts, and
breaks them when someone adds a forbidden import."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(folder: Path, config: str = "pyproject.toml") -> subprocess.CompletedProcess:
    """`lint-imports` over ``folder``'s packages (it imports them from its working folder)."""
    return _run([str(LINT_IMPORTS), config, "--no-cache"], folder)


def lint_imports_contract(folder: Path, config: str, contract: str):
    return _run([str(LINT_IMPORTS), config, "--no-cache", "--contract", contract], folder)


def _run(command: list[str], folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def root_packages() -> list[str]:
    options = tomllib.loads((BASE / "pyproject.toml").read_text())["tool"]["importlinter"]
    return options["root_packages"]


def test_the_layers_hold():
    result = lint_imports(BASE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: \d+ kept, 0 broken", result.stdout), result.stdout


@pytest.mark.parametrize(
    ("module", "forbidden_import", "contract"),
    [
        ("kiosque/intruder.py", "from donations import selectors", "kiosque/ (shared by every"),
        ("shop/intruder.py", "import magazine.models", "The apps' layers"),
        ("accounts/intruder.py", "from shop import services", "accounts/ knows the shared"),
        ("magazine/intruder.py", "import stripe", "Only payments/ imports stripe"),
    ],
)
def test_a_forbidden_import_breaks_the_check(tmp_path, module, forbidden_import, contract):
    """The same contracts over a copy of the sources where one module imports upward."""
    for package in root_packages():
        shutil.copytree(
            BASE / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE / "pyproject.toml", tmp_path / "pyproject.toml")
    assert lint_imports(tmp_path).returncode == 0  # the copy itself keeps them
    (tmp_path / module).write_text(forbidden_import + "\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    intruder = module.removesuffix(".py").replace("/", ".")
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout, result.stdout
    assert re.search(rf"^-\s+{re.escape(intruder)} ->", result.stdout, re.MULTILINE), result.stdout
