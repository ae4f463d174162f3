"""The product's own files (templates, expressions, migrations, dashboard scripts) ship in
the wheel and are found through the installed packages, not through a checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from monitor.resources import ResourceMissingError, defaults_dir, package_dir

pytestmark = pytest.mark.slow  # a crawl of the sample portal or a whole run

CHECKOUT = Path(__file__).resolve().parent.parent
# What a wheel is built from: the sources, without the venv, caches or earlier outputs.
NOT_SOURCES = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build",
                                     "dist", "out", "var", ".ruff_cache", ".pytest_cache")
REPORT_SUFFIXES = {".docx", ".xlsx", ".md", ".html"}


def test_the_shipped_defaults_are_found_inside_the_monitor_package() -> None:
    defaults = defaults_dir()
    assert defaults.parent.name == "monitor"
    assert (defaults / "expressions.yaml").is_file()
    assert {"alert_unit.txt.j2", "monthly_editor_note.j2"} <= {
        path.name for path in (defaults / "templates").iterdir()}


def test_the_migrations_are_found_inside_the_storage_package() -> None:
    versions = package_dir("storage", "alembic", "versions")
    assert (versions.parent / "env.py").is_file()
    assert any(path.name.startswith("0001_") for path in versions.iterdir())


def test_a_missing_packaged_directory_is_a_clear_error() -> None:
    with pytest.raises(ResourceMissingError) as raised:
        package_dir("storage", "no-such-dir")
    assert str(raised.value) == ("the installed package has no directory storage/no-such-dir;"
                                 " install portal-monitor unpacked (pip install), not as a zip")


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: int) -> str:
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                             timeout=timeout)
    assert process.returncode == 0, f"{command}\n{process.stdout[-2000:]}\n{process.stderr[-4000:]}"
    return process.stdout


def installed_venv(tmp_path: Path, env: dict[str, str]) -> Path:
    """A fresh venv holding the built wheel; its dependencies come from this test's venv.

    Resolving every dependency again from the registry would take minutes and the network;
    what is under test is the product's own files, which come only from the wheel. The .pth
    line adds the other site-packages as a plain path, so its editable-install hook (the one
    that maps the packages to the checkout) never runs.
    """
    sources = tmp_path / "sources"
    shutil.copytree(CHECKOUT, sources, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
         str(tmp_path / "dist"), str(sources)], tmp_path, env, 600)
    [wheel] = (tmp_path / "dist").glob("portal_monitor-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, env, 120)
    python = venv / "bin" / "python"
    site_packages = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], tmp_path, env, 60).strip())
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--quiet", str(wheel)], tmp_path, env, 300)
    return venv


@pytest.mark.slow
def test_the_installed_wheel_runs_the_demo_outside_the_checkout(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONPATH" and not key.startswith("MONITOR_")}
    venv = installed_venv(tmp_path, env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run([str(venv / "bin" / "python"), "-c",
                 "import monitor, storage, reports; print(monitor.__file__, storage.__file__,"
                 " reports.__file__)"], elsewhere, env, 60)
    assert all(path.startswith(str(venv)) for path in where.split()), where
    # The scrapyd egg (crawl.backend: scrapyd) is built from the installed packages too.
    egg = run([str(venv / "bin" / "python"), "-c",
               "import io, zipfile; from monitor.services.crawl_backends.egg import build_egg;"
               " names = zipfile.ZipFile(io.BytesIO(build_egg().content)).namelist();"
               " print(*sorted(n for n in names if n.endswith(('portal_job.py',"
               " 'expressions.yaml', 'entry_points.txt', 'env.py'))))"], elsewhere, env, 60)
    assert egg.split() == ["EGG-INFO/entry_points.txt", "crawler/spiders/portal_job.py",
                           "monitor/defaults/expressions.yaml", "storage/alembic/env.py"]

    out = tmp_path / "out"
    summary = run([str(venv / "bin" / "monitor"), "demo", "--nights", "1", "--out", str(out)],
                  elsewhere, env, 900)
    assert "未达标单位" in summary
    assert REPORT_SUFFIXES <= {path.suffix for path in (out / "report").rglob("*.*")}
    assert list((out / "alerts").glob("*.eml"))
