"""The layer contract of docs/architecture.md, as import-linter checks it in `make lint`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def contract_settings() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["importlinter"]


def write_settings(settings: dict[str, object], path: Path) -> Path:
    """A TOML file holding `settings` as `[tool.importlinter]`."""
    def value(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, list):
            return "[" + ", ".join(value(each) for each in item) + "]"
        return '"' + str(item).replace('"', '\\"') + '"'

    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {value(item)}" for key, item in settings.items() if key != "contracts"]
    for contract in settings["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {value(item)}" for key, item in contract.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def lint(config: Path, monkeypatch: pytest.MonkeyPatch, root: Path = REPO) -> int:
    """`lint-imports` with `config` on the packages under `root`, in a process of its own:
    the graph it builds must not depend on what earlier tests imported or patched in this
    one."""
    process = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--config", str(config), "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=300)
    assert process.returncode in (0, 1), process.stderr
    return process.returncode


def test_packages_import_downwards_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert lint(REPO / "pyproject.toml", monkeypatch) == 0


def test_the_contract_fails_on_a_new_upward_import(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A copy of the project, then the same copy with storage reaching up into the crawler:
    # the contract as it stands keeps the first and breaks on the second, whatever is left
    # in ignore_imports.
    settings = contract_settings()
    for package in settings["root_packages"]:
        shutil.copytree(REPO / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    config = write_settings(settings, tmp_path / "contract.toml")
    assert lint(config, monkeypatch, root=tmp_path) == 0
    (tmp_path / "storage" / "reaches_up.py").write_text(
        "from crawler.extract.listing import extract_list\n", encoding="utf-8")
    assert lint(config, monkeypatch, root=tmp_path) == 1


def test_no_upward_import_is_ignored() -> None:
    # The re-layering left none; an upward import is removed, not listed.
    [contract] = contract_settings()["contracts"]
    assert contract.get("ignore_imports", []) == []


def test_the_architecture_page_names_every_layer_module() -> None:
    page = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    [contract] = contract_settings()["contracts"]
    for layer in contract["layers"]:
        for module in (part.strip() for part in layer.replace("|", ":").split(":")):
            # The core's one-level modules are listed by their short names.
            short = module.removeprefix("monitor.") if module.count(".") == 1 else module
            assert module in page or short in page, f"docs/architecture.md omits {module}"
