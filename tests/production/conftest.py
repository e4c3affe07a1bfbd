"""Apps built with settings of their own (rate limits on), on the suite's databases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from intake import create_app
from intake.extensions import db
from tests.conftest import COMPILED_TEMPLATES, _empty_tables
from tests.support import FreshRequests


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, **settings})
        app.test_client_class = FreshRequests
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    cleaner = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with cleaner.app_context():
        _empty_tables()
        db.engine.dispose()
