"""The base every public question page's form shares."""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from flask import current_app
from flask_wtf import FlaskForm

from forms.fields import DateParts
from intake.casework.calendar import local_date


def today_for_council() -> date:
    """Today in the council's time zone, by the app's clock (which tests can set)."""
    return local_date(current_app.extensions["intake.clock"].now())


class QuestionForm(FlaskForm):
    """A page of questions whose answers are kept between visits as plain JSON."""

    # Fields that only matter when another answer reveals them: their stale values and
    # errors are dropped unless `revealed()` names them.
    conditional: tuple[str, ...] = ()

    def revealed(self) -> set[str]:
        return set()

    def validate(self, extra_validators: Any = None) -> bool:
        super().validate(extra_validators)
        shown = self.revealed()
        for name in self.conditional:
            if name not in shown:
                field = self[name]
                field.errors = []
                field.data = None
        self.check_together()
        return not any(field.errors for field in self)

    def check_together(self) -> None:
        """Checks that look at several answers at once; append to a field's errors."""

    def answers(self) -> dict[str, Any]:
        saved: dict[str, Any] = {}
        for name, field in self._fields.items():
            if name == "csrf_token":
                continue
            value = field.data
            saved[name] = value.isoformat() if isinstance(value, date) else value
        return saved

    @classmethod
    def from_answers(cls, answers: dict[str, Any] | None, **kwargs: Any) -> Self:
        form = cls(formdata=None, data=dict(answers or {}), **kwargs)
        for field in form:
            if isinstance(field, DateParts) and isinstance(field.data, str):
                field.data = date.fromisoformat(field.data)
        return form
