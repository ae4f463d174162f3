"""Evidence after `monitor crawl` on the sample portal (截图取证): every accusing problem has
a capture whose images decode with the banner drawn, whose manifest matches its files, and in
which no personal number stands in full; `problems evidence` copies it."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from monitor.content.privacy import mask_id, mask_mobile
from monitor.evidence import ACCUSING_TYPES
from sampleportal.traps import MOBILE, VALID_ID

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def evidence_of(workspace) -> dict[int, tuple[str, str, str | None]]:
    """problem id → (type, status, folder) of every accusing open problem."""
    types = tuple(t.value for t in ACCUSING_TYPES)
    rows = workspace.query(
        "SELECT problem.id, problem.type, evidence.status, evidence.path FROM problem "
        "LEFT JOIN evidence ON evidence.problem_id = problem.id "
        f"WHERE problem.state = 'open' AND problem.type IN ({','.join('?' * len(types))})",
        *types)
    return {problem_id: (kind, status, path) for problem_id, kind, status, path in rows}


def test_every_accusing_problem_has_evidence_after_the_crawl(crawled) -> None:
    evidence = evidence_of(crawled)
    kinds = {kind for kind, _, _ in evidence.values()}
    assert kinds == {t.value for t in ACCUSING_TYPES}
    assert {status for _, status, _ in evidence.values()} == {"captured"}
    for _, _, path in evidence.values():
        assert (crawled.evidence_dir / path / "manifest.json").is_file()


def test_images_decode_with_the_banner_and_the_manifest_matches(crawled) -> None:
    for problem_id, (_, _, path) in evidence_of(crawled).items():
        folder: Path = crawled.evidence_dir / path
        manifest = json.loads((folder / "manifest.json").read_bytes())
        assert manifest["problem"]["id"] == problem_id
        assert manifest["http_status"] == 200 and manifest["fetched_at"].endswith("Z")
        assert manifest["sha256"] == {
            name: hashlib.sha256((folder / name).read_bytes()).hexdigest()
            for name in ("dom.html", "fullpage.jpg", "page.html", "screenshot.png")}
        # The folder is named by its manifest's digest.
        assert folder.name == hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
        for name, kind in (("screenshot.png", "PNG"), ("fullpage.jpg", "JPEG")):
            image = Image.open(io.BytesIO((folder / name).read_bytes()))
            image.load()
            assert image.format == kind and image.width == 1280
            band = image.convert("RGB").crop((0, 0, 1280, 30))
            colours = band.getcolors(maxcolors=200_000) or []
            red = sum(n for n, (r, g, b) in colours if r > 150 and g < 40 and b < 40)
            text = sum(n for n, (r, g, b) in colours if min(r, g, b) > 200)
            assert red > 1280 * 30 // 2 and text > 100, (problem_id, name)


def test_the_located_elements_are_framed(crawled) -> None:
    for _, (kind, _, path) in evidence_of(crawled).items():
        manifest = json.loads((crawled.evidence_dir / path / "manifest.json").read_bytes())
        if kind in ("dead_image", "hidden_link"):
            assert manifest["highlighted"], (kind, manifest["url"])


def test_no_capture_holds_a_personal_number_in_full(crawled) -> None:
    leaks = [path for kind, _, path in evidence_of(crawled).values() if kind == "privacy_leak"]
    assert leaks
    for path in leaks:
        folder = crawled.evidence_dir / path
        dom = (folder / "dom.html").read_text(encoding="utf-8")
        assert mask_id(VALID_ID) in dom or mask_mobile(MOBILE) in dom
    for stored in crawled.evidence_dir.rglob("*.html"):
        content = stored.read_bytes()
        assert VALID_ID.encode() not in content and MOBILE.encode() not in content


def test_problems_evidence_copies_a_capture(crawled, tmp_path: Path) -> None:
    problem_id = min(evidence_of(crawled))
    out = tmp_path / "copy"
    line = crawled.monitor("problems", "evidence", str(problem_id), "--out", str(out))
    assert line.startswith(f"问题{problem_id}：2024-05-10 09:00的取证材料已复制到")
    assert sorted(p.name for p in out.iterdir()) == [
        "dom.html", "fullpage.jpg", "manifest.json", "page.html", "screenshot.png"]
    listed = json.loads(crawled.monitor("problems", "list", "--json"))
    documents = {row["id"]: row["evidence"] for row in listed}
    assert Path(documents[problem_id]["screenshot"]).is_file()
