"""Extract the texts people read and rebuild both gettext catalogues (`make messages`).

Reads `babel.cfg` for where the texts are, merges them into
`monitor/locale/<lang>/LC_MESSAGES/monitor.po` (new entries untranslated, vanished ones
dropped) and compiles each `.mo` beside it. The output is deterministic — no dates, no
line numbers — so two branches that add texts merge cleanly. `--check` changes nothing and
exits 1 when a catalogue is out of date (tests/monitor/test_i18n.py runs it).
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "monitor" / "locale"
LANGUAGES = ("zh_CN", "en")
DOMAIN = "monitor"
HEADER_DATE = datetime(2026, 12, 5, tzinfo=UTC)


def extract(root: Path = ROOT) -> Catalog:
    """Every text marked for translation in the sources `babel.cfg` names."""
    with open(root / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    template = Catalog(project="portal-monitor", fuzzy=False)
    for _file, _line, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, strip_comment_tags=True
    ):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def merged(language: str, template: Catalog) -> Catalog:
    """The language's catalogue with the template's texts, its translations kept."""
    with open(po_path(language), "rb") as existing:
        catalogue = read_po(existing, locale=language, domain=DOMAIN)
    catalogue.update(template, no_fuzzy_matching=True, update_creation_date=False)
    catalogue.obsolete.clear()
    # A fixed header keeps the files byte-stable between runs and branches.
    catalogue.project, catalogue.version = "portal-monitor", "1"
    catalogue.msgid_bugs_address = ""
    catalogue.last_translator = catalogue.language_team = "portal-monitor"
    catalogue.creation_date = catalogue.revision_date = HEADER_DATE
    return catalogue


def rendered(catalogue: Catalog) -> tuple[bytes, bytes]:
    """The `.po` text and the compiled `.mo` of a catalogue."""
    po, mo = io.BytesIO(), io.BytesIO()
    write_po(po, catalogue, width=100, no_location=True, sort_output=True,
             ignore_obsolete=True)
    write_mo(mo, catalogue)
    return po.getvalue(), mo.getvalue()


def build(check: bool) -> list[Path]:
    """Write (or, checking, only compare) every catalogue; the files that differ."""
    template = extract()
    stale = []
    for language in LANGUAGES:
        po_bytes, mo_bytes = rendered(merged(language, template))
        for path, content in ((po_path(language), po_bytes),
                              (po_path(language).with_suffix(".mo"), mo_bytes)):
            if path.exists() and path.read_bytes() == content:
                continue
            stale.append(path)
            if not check:
                path.write_bytes(content)
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a catalogue is out of date")
    args = parser.parse_args()
    stale = build(check=args.check)
    for path in stale:
        verb = "out of date" if args.check else "written"
        print(f"{path.relative_to(ROOT)}: {verb}", file=sys.stderr)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
