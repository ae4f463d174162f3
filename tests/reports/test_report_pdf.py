"""The 月报 as printed: rendered to PDF by LibreOffice and read back with poppler.

Skipped where LibreOffice or poppler is not installed (Debian: libreoffice-writer,
poppler-utils); CI does not install them, the report's layout is checked here on machines
that have them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import docx
import pytest

from reports import write_docx
from reports.model import MonthlyReport
from reports.preview import docx_to_pdf, preview

pytestmark = pytest.mark.skipif(
    (shutil.which("libreoffice") or shutil.which("soffice")) is None
    or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice and poppler are not installed "
           "(apt-get install libreoffice-writer poppler-utils): the 月报 is not rendered",
)

ISSUER = "瑞河县人民政府办公室"
# Four or more characters in a row that the PDF holds as words of one character each: the
# line was stretched until its characters stood apart.
LETTER_SPACED_RUN = 4


@pytest.fixture(scope="module")
def rendered(full_size_report: MonthlyReport,
             tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The DOCX and the PDF LibreOffice makes of it (a few seconds: rendered once)."""
    out = tmp_path_factory.mktemp("pdf")
    document = write_docx(full_size_report, out / "monthly-2024-04.docx")
    return document, docx_to_pdf(document, out)


def page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout.split("\f")[:-1]  # a form feed ends every page


def flat(text: str) -> str:
    """Text without spaces, line breaks and the page numbers in the footers."""
    return re.sub(r"—\s*\d+\s*—", "", re.sub(r"[\s\u200b]+", "", text))


def annex_label(page: str) -> str | None:
    """"附件1" when the page starts an 附件 (its label is the page's first line)."""
    found = re.match(r"\s*附件\s*(\d+)\s*\n", page)
    return f"附件{found.group(1)}" if found else None


def test_masthead_on_page_one_then_a_body_of_three_pages_at_most_then_the_annexes(
    rendered: tuple[Path, Path]
) -> None:
    pages = page_texts(rendered[1])
    assert ISSUER in pages[0] and "政务公开工作月报" in pages[0]
    starts = [n for n, page in enumerate(pages) if annex_label(page)]
    assert [annex_label(pages[n]) for n in starts] == ["附件1", "附件2", "附件3", "附件4"]
    body = pages[:starts[0]]
    # The narrative fills two pages; the last requirement goes over with the 附件说明,
    # which never stands alone on a page.
    assert len(body) == 3
    last = flat(body[-1])
    assert last.index("附件：1.县直单位信息发布统计表") > 0 and last.startswith("四是做好日常巡查")
    # 附件1 holds 40 county units and 附件3 all 56 units: two pages each, the header
    # repeated; 附件2 (16 townships) and 附件4 (6 problems) one page each.
    assert [b - a for a, b in zip(starts, [*starts[1:], len(pages)], strict=True)] == [
        2, 1, 2, 1]
    assert len(pages) == 9


def letter_spaced_lines(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    spaced = []
    for line in ElementTree.fromstring(done.stdout).iterfind(".//x:line", namespace):
        words = [word.text or "" for word in line.iterfind("x:word", namespace)]
        run = longest = 0
        for word in words:
            run = run + 1 if len(word) == 1 and "\u4e00" <= word <= "\u9fff" else 0
            longest = max(longest, run)
        if longest >= LETTER_SPACED_RUN:
            spaced.append(" ".join(words))
    return spaced


def test_no_line_is_letter_spaced(rendered: tuple[Path, Path]) -> None:
    assert letter_spaced_lines(rendered[1]) == []


def test_every_character_of_the_body_is_printed(rendered: tuple[Path, Path]) -> None:
    """A comma hung past the end of a justified line is not printed by LibreOffice."""
    printed = flat("".join(page_texts(rendered[1])))
    body = [flat(p.text) for p in docx.Document(str(rendered[0])).paragraphs if p.text.strip()]
    assert [text for text in body if text not in printed] == []


def test_preview_writes_one_png_per_page(rendered: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "monthly-2024-04-99.png").write_bytes(b"left from an earlier run")
    pages = preview(rendered[0], tmp_path)
    assert [page.name for page in pages] == [f"monthly-2024-04-{n}.png" for n in range(1, 10)]
