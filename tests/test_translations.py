"""Every string marked for translation is in the catalog, so no page falls back silently."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _marked_strings() -> set[str]:
    with (ROOT / "translations/babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_english_catalog_holds_every_marked_string():
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}

    missing = sorted(_marked_strings() - catalog)

    assert not missing, f"run `make translations-update`; missing: {missing[:10]}"
