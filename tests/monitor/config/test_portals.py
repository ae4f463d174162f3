"""A config directory of portals (SPEC §7): loading, names, choosing one."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config.portals import load_portals
from monitor.errors import ConfigError, UnknownPortalError
from monitor.i18n import speaking


def write(directory: Path, stem: str, name: str, suffix: str = ".yaml") -> None:
    directory.mkdir(exist_ok=True)
    (directory / f"{stem}{suffix}").write_text(
        f'site: {{name: "{name}", url: "http://127.0.0.1:8000/"}}\n'
        "units:\n  - name: 县水利局\n    group: 县直单位\n    columns:\n"
        '      - {name: 工作动态, url: "http://127.0.0.1:8000/slj/gzdt/", category: dynamics}\n',
        encoding="utf-8")


def test_a_file_is_one_portal(tmp_path: Path) -> None:
    write(tmp_path, "portal", "北河县")
    portals = load_portals(tmp_path / "portal.yaml")
    assert portals.names == ["北河县"]
    assert not portals.several
    assert portals.select(None).path == tmp_path / "portal.yaml"


def test_a_directory_holds_its_yaml_and_yml_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b", "乙县", ".yml")
    write(tmp_path, "a", "甲县")
    (tmp_path / "notes.txt").write_text("not a portal", encoding="utf-8")
    write(tmp_path, ".hidden", "丙县")
    portals = load_portals(tmp_path)
    assert portals.names == ["甲县", "乙县"]
    assert portals.named("b").name == "乙县"
    assert portals.named("甲县").stem == "a"


def test_choosing_none_of_several_or_an_unknown_one_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a", "甲县")
    write(tmp_path, "b", "乙县")
    portals = load_portals(tmp_path)
    with speaking("en"), pytest.raises(UnknownPortalError) as none:
        portals.select(None)
    assert str(none.value) == (f"2 portals are configured in {tmp_path}: choose one with "
                               "--portal NAME: 甲县 (a), 乙县 (b)")
    with speaking("en"), pytest.raises(UnknownPortalError) as unknown:
        portals.select("c", offers_all=True)
    assert str(unknown.value) == "no portal named 'c'; the portals are: 甲县 (a), 乙县 (b)"


def test_every_file_is_validated_and_all_mistakes_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "a", "甲县")
    write(tmp_path, "b", "甲县")
    (tmp_path / "c.yaml").write_text("site: [", encoding="utf-8")
    with speaking("en"), pytest.raises(ConfigError) as invalid:
        load_portals(tmp_path)
    assert len(invalid.value.problems) == 2
    assert invalid.value.problems[0].startswith(f"{tmp_path / 'c.yaml'}:")
    assert invalid.value.problems[1] == (
        f"{tmp_path / 'b.yaml'}:1 site.name: the portal '甲县' is also configured in "
        f"{tmp_path / 'a.yaml'}; each portal needs its own name")


def test_the_chinese_message_lists_the_portals(tmp_path: Path) -> None:
    write(tmp_path, "a", "甲县")
    write(tmp_path, "b", "乙县")
    with speaking("zh_CN"), pytest.raises(UnknownPortalError) as none:
        load_portals(tmp_path).select(None, offers_all=True)
    assert str(none.value) == (f"{tmp_path} 中配置了2个门户：请用 --portal 名称 选定一个，或用 "
                               "--all 处理全部：甲县 (a)、乙县 (b)")
