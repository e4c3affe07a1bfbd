"""Danger words: checked on every message, at every step, in every language offered.

A false alarm is acceptable; a missed one is not. So matching is generous: a phrase
matches anywhere in the message, a word ending in "*" matches any word it begins
("hurt*" matches "hurting"), and a word of five letters or more may be one letter out
("sucide" is "suicide"). The list is the council's to edit, in
`intake/config/danger_words.toml`.

With ten languages checked on every message, an everyday word in one language can be one
letter away from a danger word in another (Polish "drugi", "second", and English "drugs";
Somali "habka", "the way", and "hubka", "weapons"). Such words are listed as `ordinary`:
they never match by a slip, though they still match a danger word they spell exactly.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from intake.chat.matching import matches_word, words_of

DEFAULT_DANGER_WORDS = Path(__file__).resolve().parent.parent / "config" / "danger_words.toml"


class DangerWordsError(Exception):
    """The danger words file cannot be used."""


def _variants(word: str) -> set[str]:
    """The word and the word with any one letter left out. Two words one slip apart
    (a letter wrong, missing, extra or two swapped) always share one of these."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _slip_index(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = {}
    for word in words:
        for variant in _variants(word):
            index.setdefault(variant, set()).add(word)
    return {variant: tuple(sorted(found)) for variant, found in index.items()}


@dataclass(frozen=True)
class DangerWords:
    phrases: Mapping[str, tuple[tuple[str, ...], ...]]
    # Everyday words, from every language, that never count as a slip of a danger word.
    ordinary: frozenset[str] = frozenset()
    # Built from the phrases: every message is checked against thousands of words, so
    # each typed word is looked up rather than compared with each of them in turn.
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index.build(self.phrases))

    @classmethod
    def from_lists(
        cls, lists: Mapping[str, Iterable[str]], ordinary: Iterable[str] = ()
    ) -> DangerWords:
        return cls(
            {
                language: tuple(
                    tuple(w for w in _words_keeping_stars(phrase) if w)
                    for phrase in phrases
                    if _words_keeping_stars(phrase)
                )
                for language, phrases in lists.items()
            },
            frozenset(w for word in ordinary for w in _words_keeping_stars(word) if w),
        )

    def found_in(self, text: str) -> bool:
        """Does the message contain a danger phrase from any language?"""
        typed = words_of(text)
        index = self._index
        matched = [index.matches(word, self._is_ordinary(word)) for word in typed]
        for start, words in enumerate(matched):
            for word in words:
                for rest in index.phrases_after.get(word, ()):
                    end = start + 1 + len(rest)
                    if end <= len(typed) and all(
                        wanted in matched[start + 1 + i] for i, wanted in enumerate(rest)
                    ):
                        return True
        return False

    def languages(self) -> tuple[str, ...]:
        return tuple(self.phrases)

    def _is_ordinary(self, typed: str) -> bool:
        return typed in self.ordinary or any(
            word.endswith("*") and typed.startswith(word[:-1]) for word in self.ordinary
        )


@dataclass(frozen=True)
class _Index:
    # Each phrase's first word, with what must follow it.
    phrases_after: Mapping[str, tuple[tuple[str, ...], ...]]
    whole: frozenset[str]  # words that match only themselves (or a slip of themselves)
    stems: frozenset[str]  # "hurt" for "hurt*": any word beginning so
    whole_slips: Mapping[str, tuple[str, ...]]
    stem_slips: Mapping[str, tuple[str, ...]]
    # The longest word and stem in the lists: a typed word is only ever compared over
    # lengths a danger word could have, so one very long word costs no more than a
    # short one (a 5,000-letter "word" once took seconds, and held a web process).
    longest_whole: int = 0
    longest_stem: int = 0

    @classmethod
    def build(cls, phrases: Mapping[str, tuple[tuple[str, ...], ...]]) -> _Index:
        after: dict[str, list[tuple[str, ...]]] = {}
        for phrase in (p for language in phrases.values() for p in language):
            after.setdefault(phrase[0], []).append(phrase[1:])
        words = {w for language in phrases.values() for p in language for w in p}
        whole = {w for w in words if not w.endswith("*")}
        stems = {w[:-1] for w in words if w.endswith("*")}
        return cls(
            phrases_after={first: tuple(rests) for first, rests in after.items()},
            whole=frozenset(whole),
            stems=frozenset(stems),
            # Only words of five letters or more may be one letter out.
            whole_slips=_slip_index(w for w in whole if len(w) >= 5),
            stem_slips=_slip_index(s for s in stems if len(s) >= 5),
            longest_whole=max((len(w) for w in whole), default=0),
            longest_stem=max((len(s) for s in stems), default=0),
        )

    def matches(self, typed: str, ordinary: bool) -> set[str]:
        """The danger words (as written in the list, "hurt*") this typed word matches."""
        found = {typed} if typed in self.whole else set()
        longest_start = min(len(typed), self.longest_stem + 1)
        found |= {typed[:k] + "*" for k in range(1, longest_start + 1) if typed[:k] in self.stems}
        if ordinary or len(typed) < 4:
            return found
        # A slip changes a word's length by one at most.
        if len(typed) <= self.longest_whole + 1:
            for variant in _variants(typed):
                found |= {w for w in self.whole_slips.get(variant, ()) if matches_word(typed, w)}
        # A slip shifts the letters, so a stem is tried against the typed word's start a
        # letter shorter and longer: "sucide" and "suicde" both begin with a slip of "suicid".
        for length in range(4, longest_start + 1):
            start = typed[:length]
            for variant in _variants(start):
                found |= {
                    s + "*"
                    for s in self.stem_slips.get(variant, ())
                    if abs(len(s) - length) <= 1 and matches_word(start, s)
                }
        return found


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
    ordinary: list[str] = []
    for language, table in raw.items():
        phrases = table.get("phrases") if isinstance(table, dict) else None
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise DangerWordsError(f"{path}: [{language}] needs a list of phrases")
        everyday = table.get("ordinary", [])
        if not isinstance(everyday, list) or not all(isinstance(w, str) for w in everyday):
            raise DangerWordsError(f"{path}: [{language}] ordinary must be a list of words")
        lists[language] = phrases
        ordinary += everyday
    if not lists:
        raise DangerWordsError(f"{path}: no danger words at all")
    return DangerWords.from_lists(lists, ordinary)
