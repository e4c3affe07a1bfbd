"""Every string marked for translation is in the catalog, so no page falls back silently."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _marked_strings() -> set[str]:
    with (ROOT / "translations/babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    # plural_texts (forms/widgets.py) is ngettext for every plural form of the page.
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "plural_texts": (1, 2)}
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


def _offered_languages() -> list[str]:
    import tomllib

    with (ROOT / "intake/config/council.toml").open("rb") as handle:
        return [code for code in tomllib.load(handle)["council"]["languages"] if code != "en"]


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@pytest.mark.parametrize("language", _offered_languages())
def test_every_offered_language_has_a_whole_catalog(language):
    path = ROOT / f"translations/{language}/LC_MESSAGES/messages.po"
    assert path.exists(), f"no catalog for {language}: run pybabel init, then translate it"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    entries = [m for m in catalog if m.id]
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in entries}

    missing = sorted(_marked_strings() - ids)
    fuzzy = [m.id for m in entries if m.fuzzy]
    empty = [
        m.id for m in entries if not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    broken = [
        m.id
        for m in entries
        if isinstance(m.id, str)
        and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string or ""))
    ]

    # A plural message has one form for each of the language's plural categories, and no
    # form may bring in a placeholder the English does not have.
    plural_problems = [
        m.id[0]
        for m in entries
        if isinstance(m.id, tuple)
        and (
            len(m.string) != catalog.num_plurals
            or any(
                not set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(m.id[1]))
                for form in m.string
            )
        )
    ]

    assert not missing, f"{language}: run `make translations-update`; missing {missing[:5]}"
    assert not plural_problems, f"{language}: plural forms wrong in {plural_problems[:5]}"
    assert not fuzzy, f"{language}: fuzzy translations {fuzzy[:5]}"
    assert not empty, f"{language}: {len(empty)} untranslated, e.g. {empty[:5]}"
    assert not broken, f"{language}: placeholders changed in {broken[:5]}"
    # Templates format every message (Jinja's new-style gettext), so a lone % breaks a page.
    unformattable = []
    for m in entries:
        if not isinstance(m.id, str) or not m.string:
            continue
        try:
            m.string % dict.fromkeys(re.findall(r"%\((\w+)\)", m.id), "x")
        except (ValueError, TypeError, KeyError):
            unformattable.append(m.string)
    assert not unformattable, f"{language}: a % that is not a placeholder in {unformattable[:3]}"
    header = path.read_text(encoding="utf-8").split("msgid", 1)[0]
    assert "reviewed by a professional translator" in header, (
        f"{language}: the catalog must say it needs a professional translator's review"
    )
