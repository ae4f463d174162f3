import re
import signal
import subprocess
import sys

import httpx
from typer.testing import CliRunner

from sampleportal.command import app

SERVE = "from sampleportal.command import app; app()"


def _ctrl_c_as_at_a_terminal() -> None:
    # A run started as a background job (`pytest &`) ignores SIGINT, and a child inherits
    # that: the server would never see the ctrl-c these tests send.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_help_lists_serve():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "serve" in result.output


def test_bad_now_is_a_usage_error():
    result = CliRunner().invoke(app, ["serve", "--now", "yesterday", "--port", "0"])
    assert result.exit_code == 2


def test_serve_prints_the_url_answers_and_stops_on_ctrl_c(tmp_path):
    config = tmp_path / "portal.yaml"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", "0", "--seed", "2",
         "--now", "2024-04-01T10:00+08:00", "--config-out", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(trust_env=False, timeout=10) as client:
            assert client.get(url).status_code == 200
            now = client.get(url + "__control__/clock").json()["now"]
        assert now == "2024-04-01T10:00:00+08:00"
        assert url in config.read_text(encoding="utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0


def test_serve_a_flavour_with_every_column_in_one_list_style():
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", "0", "--style", "jsonapi"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_ctrl_c_as_at_a_terminal,
    )
    try:
        url = process.stdout.readline().strip()
        with httpx.Client(trust_env=False, timeout=10) as client:
            home = client.get(url).text
            columns = re.findall(r'href="(/[a-z]+/[a-z]+/)"', home)
            assert columns and all("article-list" in client.get(url + path[1:]).text
                                   for path in columns[:3])
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
    assert process.returncode == 0
