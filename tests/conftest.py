"""Fixtures shared by the whole suite.

Every test that asks for `app` (or anything built on it) runs twice: on SQLite and on
PostgreSQL. The PostgreSQL run needs TEST_DATABASE_URL (`.ci/run` sets it); without it
those runs are skipped, not failed. Each pytest-xdist worker migrates its own database
(SQLite file, or PostgreSQL schema) once with the real Alembic migrations, and every
test starts from empty tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from jinja2.bccache import Bucket, BytecodeCache

os.environ["INTAKE_ENV"] = "testing"

from intake import create_app
from intake.clock import FixedClock
from intake.extensions import db
from intake.models import Base
from tests.support import LONDON, FormClient, FreshRequests

BACKENDS = ["sqlite", "postgresql"]


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per worker, not once per test: every test makes a new app,
    and compiling the GOV.UK macros again for each was most of the suite's time."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


def _postgres_url(base: str, schema: str) -> str:
    url = sa.make_url(base)
    if url.drivername in {"postgresql", "postgres"}:
        url = url.set(drivername="postgresql+psycopg")
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[str]:
    """A migrated, empty database for this worker, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'intake.sqlite3'}"
        _migrate(url)
        yield url
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    # Unique per run: two test runs at once on one server must not drop each other's.
    schema = f"intake_test_{worker_id}_{os.getpid()}"
    admin = sa.create_engine(_postgres_url(base, "public"))
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_url(base, schema)
    _migrate(url)
    yield url
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = FreshRequests
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def clock(app: Flask) -> FixedClock:
    """Stand the app on Monday 23 November 2026, 10:00 in London; tests may move it."""
    fixed = FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    app.extensions["intake.clock"] = fixed
    return fixed


@pytest.fixture
def client(app: Flask, clock: FixedClock) -> FormClient:
    return FormClient(app.test_client())


@pytest.fixture
def settings(app: Flask):
    return app.extensions["intake.council"]
