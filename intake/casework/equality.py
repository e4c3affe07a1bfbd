"""Equality monitoring: voluntary, every question with "Prefer not to say", kept apart.

The answers are saved with no link to the case (see `intake/models/equality.py`) and only
ever reported as totals.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from intake.models import EqualityResponse

PREFER_NOT_TO_SAY = "prefer_not_to_say"

QUESTIONS: dict[str, tuple[str, ...]] = {
    "age_band": (
        "under_18",
        "18_to_24",
        "25_to_34",
        "35_to_44",
        "45_to_54",
        "55_to_64",
        "65_plus",
        PREFER_NOT_TO_SAY,
    ),
    "gender": ("woman", "man", "non_binary", "another_way", PREFER_NOT_TO_SAY),
    "disability": ("yes", "no", PREFER_NOT_TO_SAY),
    # The Office for National Statistics' high-level ethnic groups (Census 2021).
    "ethnicity": ("asian", "black", "mixed", "white", "other", PREFER_NOT_TO_SAY),
    "religion": (
        "no_religion",
        "buddhist",
        "christian",
        "hindu",
        "jewish",
        "muslim",
        "sikh",
        "another_religion",
        PREFER_NOT_TO_SAY,
    ),
    "sexuality": ("straight", "gay_or_lesbian", "bisexual", "another_way", PREFER_NOT_TO_SAY),
}


def record_equality_answers(
    session: Session, answers: dict[str, str | None], given_on: date
) -> EqualityResponse | None:
    """Save the answers given, if any; an empty form saves nothing."""
    kept = {
        question: value
        for question, value in answers.items()
        if question in QUESTIONS and value in QUESTIONS[question]
    }
    if not kept:
        return None
    response = EqualityResponse(given_on=given_on, **kept)
    session.add(response)
    return response
