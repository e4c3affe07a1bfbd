"""Danger words: checked on every message, at every step, in every language offered.

A false alarm is acceptable; a missed one is not. So matching is generous: a phrase
matches anywhere in the message, a word ending in "*" matches any word it begins
("hurt*" matches "hurting"), and a word of five letters or more may be one letter out
("sucide" is "suicide"). The list is the council's to edit, in
`intake/config/danger_words.toml`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from intake.chat.matching import matches_word, words_of

DEFAULT_DANGER_WORDS = Path(__file__).resolve().parent.parent / "config" / "danger_words.toml"


class DangerWordsError(Exception):
    """The danger words file cannot be used."""


def _word_matches(typed: str, wanted: str) -> bool:
    if wanted.endswith("*"):
        stem = wanted[:-1]
        if typed.startswith(stem):
            return True
        # A slip shifts the letters, so try the stem against a letter less and more:
        # "sucide" and "suicde" both begin with a slip of "suicid".
        return len(stem) >= 5 and any(
            matches_word(typed[:length], stem)
            for length in (len(stem) - 1, len(stem), len(stem) + 1)
        )
    return matches_word(typed, wanted)


@dataclass(frozen=True)
class DangerWords:
    phrases: Mapping[str, tuple[tuple[str, ...], ...]]

    @classmethod
    def from_lists(cls, lists: Mapping[str, Iterable[str]]) -> DangerWords:
        return cls(
            {
                language: tuple(
                    tuple(w for w in _words_keeping_stars(phrase) if w)
                    for phrase in phrases
                    if _words_keeping_stars(phrase)
                )
                for language, phrases in lists.items()
            }
        )

    def found_in(self, text: str) -> bool:
        """Does the message contain a danger phrase from any language?"""
        typed = words_of(text)
        for phrases in self.phrases.values():
            for phrase in phrases:
                width = len(phrase)
                for start in range(len(typed) - width + 1):
                    window = typed[start : start + width]
                    if all(_word_matches(t, w) for t, w in zip(window, phrase, strict=True)):
                        return True
        return False

    def languages(self) -> tuple[str, ...]:
        return tuple(self.phrases)


def _words_keeping_stars(phrase: str) -> list[str]:
    return [w + ("*" if raw.endswith("*") else "") for raw, w in _pairs(phrase)]


def _pairs(phrase: str) -> list[tuple[str, str]]:
    raws = phrase.split()
    return [(raw, folded) for raw in raws for folded in words_of(raw.rstrip("*"))[:1]]


def load_danger_words(path: Path | None = None) -> DangerWords:
    path = path or DEFAULT_DANGER_WORDS
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as broken:
        raise DangerWordsError(f"{path} cannot be read: {broken}") from broken
    lists: dict[str, list[str]] = {}
    for language, table in raw.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise DangerWordsError(f"{path}: [{language}] needs a list of phrases")
        lists[language] = phrases
    if not lists:
        raise DangerWordsError(f"{path}: no danger words at all")
    return DangerWords.from_lists(lists)
