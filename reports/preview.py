"""Renders a DOCX report to PDF and PNG pages with LibreOffice and pdftoppm, to look at it.

    python -m reports.preview monthly-2024-04.docx out/preview

Needs the Debian packages libreoffice-writer, poppler-utils and fonts-noto-cjk (or the
GB fonts the office uses). Pages come out as OUTDIR/<name>-1.png, -2.png, …
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from monitor.errors import ReportError

TIMEOUT_SECONDS = 180


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ReportError(f"'{name}' is not installed; see `python -m reports.preview --help`")
    return found


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    office = shutil.which("libreoffice") or _tool("soffice")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
        check=True, timeout=TIMEOUT_SECONDS, capture_output=True,
    )
    pdf = out_dir / f"{docx.stem}.pdf"
    if not pdf.exists():
        raise ReportError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def pdf_to_pngs(pdf: Path, out_dir: Path, dpi: int = 80) -> list[Path]:
    prefix = out_dir / pdf.stem
    # Pages of an earlier, longer rendering would otherwise pass for this one's.
    for stale in out_dir.glob(f"{pdf.stem}-*.png"):
        stale.unlink()
    subprocess.run([_tool("pdftoppm"), "-png", "-r", str(dpi), str(pdf), str(prefix)],
                   check=True, timeout=TIMEOUT_SECONDS, capture_output=True)
    return sorted(out_dir.glob(f"{pdf.stem}-*.png"))


def preview(docx: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return pdf_to_pngs(docx_to_pdf(docx, out_dir), out_dir)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        pages = preview(Path(argv[0]), Path(argv[1]))
    except (ReportError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        print(f"preview failed: {error}", file=sys.stderr)
        return 1
    for page in pages:
        print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
