"""Understanding short answers typed on a phone: numbers, words, misspellings, dates.

Young people type fast, on small keyboards, with autocorrect fighting them. An answer
is matched after folding case and accents ("NÔL", "nol" and "Nol" are the same), with
punctuation ignored, and a word of five letters or more may be one letter out
("complian" is "complain"). Nothing here knows about any one language: the words
come from the flow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

# Kept as they are: date separators. Every other punctuation mark or symbol becomes a space.
_KEPT_MARKS = frozenset("/.-")
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?(?:\s|$)")


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation but date separators, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("'", "").replace("\u2019", "")
    # By Unicode category, not `\w`: the vowel signs of Bengali, Gurmukhi and other
    # Indic scripts are marks, not letters, and must stay inside their word.
    spaced = "".join(
        " " if unicodedata.category(c)[0] in "PS" and c not in _KEPT_MARKS else c for c in plain
    )
    return _SPACES.sub(" ", spaced).strip()


def words_of(text: str) -> list[str]:
    return [w.strip(".-/") for w in fold(text).split(" ") if w.strip(".-/")]


@lru_cache(maxsize=16384)
def _known(phrase: str) -> tuple[str, ...]:
    """A flow's phrase, folded once: every turn compares the message with hundreds of
    them. Only the flow's own words are kept here, never what anyone typed."""
    return tuple(words_of(phrase))


def first_word(text: str) -> str:
    found = words_of(text)
    return found[0] if found else ""


def _one_letter_out(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(differences) == 1:
            return True
        return (
            len(differences) == 2
            and differences[1] == differences[0] + 1
            and a[differences[0]] == b[differences[1]]
            and a[differences[1]] == b[differences[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def matches_word(typed: str, known: str) -> bool:
    """Does one typed word match a known word, allowing a slip on longer words?"""
    if typed == known:
        return True
    return len(known) >= 5 and len(typed) >= 4 and _one_letter_out(typed, known)


def says(text: str, phrases: Iterable[str]) -> bool:
    """Does the message say one of `phrases`: the whole message, or its opening words?"""
    typed = words_of(text)
    if not typed:
        return False
    for phrase in phrases:
        wanted = _known(phrase)
        if not wanted or len(wanted) > len(typed):
            continue
        if all(matches_word(t, w) for t, w in zip(typed, wanted, strict=False)):
            return True
    return False


@dataclass(frozen=True)
class _Keywords:
    """One list of keywords, folded and grouped once: every turn asks several lists
    (start, stop, help, back, ... in every language) whether the message is one of them."""

    as_typed: frozenset[str]  # keywords of punctuation alone ("?"), which folding empties
    exact: frozenset[tuple[str, ...]]
    # Only a word of five letters or more can match with a slip; by number of words.
    slips: Mapping[int, tuple[tuple[str, ...], ...]]


@lru_cache(maxsize=1024)
def _keywords(phrases: tuple[str, ...]) -> _Keywords:
    folded = [(_known(p), p.strip()) for p in phrases if p.strip()]
    slips: dict[int, list[tuple[str, ...]]] = {}
    for wanted, _ in folded:
        if any(len(word) >= 5 for word in wanted):
            slips.setdefault(len(wanted), []).append(wanted)
    return _Keywords(
        as_typed=frozenset(raw for wanted, raw in folded if not wanted),
        exact=frozenset(wanted for wanted, _ in folded if wanted),
        slips={length: tuple(found) for length, found in slips.items()},
    )


def exactly(text: str, phrases: Iterable[str]) -> bool:
    """Is the whole message one of `phrases`? Keywords must stand alone, so a free-text
    answer that happens to start with "Language ..." or "Stop ..." is just an answer."""
    keywords = _keywords(tuple(phrases))
    if keywords.as_typed and text.strip() in keywords.as_typed:
        return True
    typed = tuple(words_of(text))
    if not typed:
        return False
    if typed in keywords.exact:
        return True
    # A slip needs a typed word of four letters or more ("1", "yes", "hi" never slip).
    if all(len(word) < 4 for word in typed):
        return False
    return any(
        all(matches_word(t, w) for t, w in zip(typed, wanted, strict=True))
        for wanted in keywords.slips.get(len(typed), ())
    )


def mentions(text: str, phrases: Iterable[str]) -> bool:
    """Does any of `phrases` appear anywhere in the message, as whole words?"""
    typed = f" {' '.join(words_of(text))} "
    return any(f" {' '.join(_known(p))} " in typed for p in phrases if _known(p))


def numbered_choice(text: str, how_many: int) -> int | None:
    """The option a reply like "2", "2.", "2)" or "2 please" picks, counting from 1."""
    found = _NUMBER.match(text)
    if not found:
        return None
    number = int(found.group(1))
    return number if 1 <= number <= how_many else None


def pick(text: str, options: Mapping[str, Iterable[str]]) -> str | None:
    """The one option whose words the reply says; None when none or several do."""
    chosen = {value for value, phrases in options.items() if says(text, phrases)}
    if len(chosen) != 1:
        chosen = {value for value, phrases in options.items() if mentions(text, phrases)}
    return chosen.pop() if len(chosen) == 1 else None


# Dates ----------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th|af|il|ydd|fed|ed|eg|ain)$")


def parse_date(text: str, today: date, months: Mapping[int, Iterable[str]]) -> date | None:
    """A date written as 3/10/2026, 3/10/26, 3/10, "3 October 2026", "October" or "2025".

    Day-first, as in the UK. A date without a year is the latest one not in the future;
    a month alone is its first day, a year alone its first of January.
    """
    # "3rd", "21st", Welsh "3ydd", "1af": the number is the day.
    typed = [_ORDINAL.sub(r"\1", word) for word in words_of(text)]
    if not typed:
        return None
    if len(typed) == 1 and (numeric := _NUMERIC_DATE.match(typed[0])):
        day, month = int(numeric.group(1)), int(numeric.group(2))
        year_text = numeric.group(3)
        year = _full_year(int(year_text), today) if year_text else today.year
        found = _safe_date(year, month, day)
        if found and not year_text and found > today:
            found = _safe_date(year - 1, month, day)
        return found
    # An exact name first: "julho" is July, not June ("junho") one letter away.
    named_month = next(
        (
            number
            for number, names in months.items()
            for word in typed
            for name in names
            if word == fold(name)
        ),
        None,
    )
    if named_month is None:
        named_month = next(
            (
                number
                for number, names in months.items()
                for word in typed
                for name in names
                if matches_word(word, fold(name))
            ),
            None,
        )
    numbers = [int(w) for w in typed if w.isdigit()]
    years = [n for n in numbers if _YEAR.match(str(n))]
    days = [n for n in numbers if 1 <= n <= 31]
    if any(31 < n < 1000 for n in numbers):
        return None  # "32nd October" is no date
    if named_month is not None:
        year = years[0] if years else today.year
        found = _safe_date(year, named_month, days[0] if days else 1)
        if found and not years and found > today:
            found = _safe_date(year - 1, named_month, days[0] if days else 1)
        return found
    if len(typed) == 1 and years:
        return date(years[0], 1, 1)
    return None


def _full_year(year: int, today: date) -> int:
    if year >= 100:
        return year
    century = today.year - today.year % 100
    return century + year if century + year <= today.year else century - 100 + year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def days_ago(when: date, today: date) -> int:
    return (today - when).days


def relative_date(kind: str, today: date) -> date:
    """The date a phrase like "last week" points at."""
    offsets = {
        "today": timedelta(0),
        "yesterday": timedelta(days=1),
        "last_week": timedelta(days=7),
        "last_month": timedelta(days=30),
        "last_year": timedelta(days=365),
    }
    return today - offsets[kind]
