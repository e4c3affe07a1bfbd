"""The database dropping a request's connection (a restart, a failover): the answer is
the polite page or the one the view made, never a 500, and the next request is served.

PostgreSQL only: the connection is ended by the server itself, with
pg_terminate_backend, as a restart ends it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from intake.extensions import db


def _terminate(database_url: str, pid: int) -> None:
    other = sa.create_engine(database_url)
    try:
        with other.begin() as connection:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        other.dispose()


@pytest.fixture
def postgres_app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    if not database_url.startswith("postgresql"):
        pytest.skip("the server ends the connection: PostgreSQL only")
    app = make_app()

    @app.get("/_test/dropped-after-answer")
    def dropped_after_answer() -> str:
        # The view read something, then the server went away before the request ended:
        # the rollback at the end of the request is the first to hear of it.
        _terminate(database_url, db.session.scalar(sa.text("SELECT pg_backend_pid()")))
        return "answered"

    @app.get("/_test/dropped-mid-view")
    def dropped_mid_view() -> str:
        _terminate(database_url, db.session.scalar(sa.text("SELECT pg_backend_pid()")))
        db.session.execute(sa.text("SELECT 1"))
        return "never"

    @app.get("/_test/reads")
    def reads() -> str:
        return str(db.session.scalar(sa.text("SELECT 40 + 2")))

    return app


def test_a_connection_lost_after_the_answer_keeps_the_answer(postgres_app: Flask) -> None:
    client = postgres_app.test_client()
    response = client.get("/_test/dropped-after-answer")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "answered"
    # The pool replaced the dead connection by itself.
    assert client.get("/_test/reads").get_data(as_text=True) == "42"


def test_a_connection_lost_mid_view_is_a_503_to_retry(postgres_app: Flask) -> None:
    client = postgres_app.test_client()
    response = client.get("/_test/dropped-mid-view")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Sorry" in response.get_data(as_text=True)
    assert client.get("/_test/reads").get_data(as_text=True) == "42"
