"""The optional equality monitoring questions, every one with "Prefer not to say"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.base import QuestionForm
from forms.fields import ChoiceField, choice

_PREFER = choice("prefer_not_to_say", _l("Prefer not to say"))
_MESSAGE = _l("Select one of the answers, or leave the question empty")


class EqualityForm(QuestionForm):
    age_band = ChoiceField(
        _l("How old are you?"),
        choices=[
            choice("under_18", _l("Under 18")),
            choice("18_to_24", _l("18 to 24")),
            choice("25_to_34", _l("25 to 34")),
            choice("35_to_44", _l("35 to 44")),
            choice("45_to_54", _l("45 to 54")),
            choice("55_to_64", _l("55 to 64")),
            choice("65_plus", _l("65 or over")),
            _PREFER,
        ],
        message=_MESSAGE,
        required=False,
    )
    gender = ChoiceField(
        _l("What is your gender?"),
        choices=[
            choice("woman", _l("Woman or girl")),
            choice("man", _l("Man or boy")),
            choice("non_binary", _l("Non-binary")),
            choice("another_way", _l("I describe myself another way")),
            _PREFER,
        ],
        message=_MESSAGE,
        required=False,
    )
    disability = ChoiceField(
        _l("Do you consider yourself to be disabled?"),
        choices=[choice("yes", _l("Yes")), choice("no", _l("No")), _PREFER],
        message=_MESSAGE,
        required=False,
    )
    ethnicity = ChoiceField(
        _l("What is your ethnic group?"),
        choices=[
            choice("asian", _l("Asian or Asian British")),
            choice("black", _l("Black, Black British, Caribbean or African")),
            choice("mixed", _l("Mixed or multiple ethnic groups")),
            choice("white", _l("White")),
            choice("other", _l("Another ethnic group")),
            _PREFER,
        ],
        message=_MESSAGE,
        required=False,
    )
    religion = ChoiceField(
        _l("What is your religion?"),
        choices=[
            choice("no_religion", _l("No religion")),
            choice("buddhist", _l("Buddhist")),
            choice("christian", _l("Christian")),
            choice("hindu", _l("Hindu")),
            choice("jewish", _l("Jewish")),
            choice("muslim", _l("Muslim")),
            choice("sikh", _l("Sikh")),
            choice("another_religion", _l("Another religion")),
            _PREFER,
        ],
        message=_MESSAGE,
        required=False,
    )
    sexuality = ChoiceField(
        _l("Which of these best describes your sexual orientation?"),
        choices=[
            choice("straight", _l("Straight or heterosexual")),
            choice("gay_or_lesbian", _l("Gay or lesbian")),
            choice("bisexual", _l("Bisexual")),
            choice("another_way", _l("I describe it another way")),
            _PREFER,
        ],
        message=_MESSAGE,
        required=False,
    )
