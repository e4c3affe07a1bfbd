"""/healthz says the process answers; /readyz says it can do its work."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from intake.casework.health import beat
from intake.extensions import db
from intake.outbox.worker import run_once


def test_healthz_answers_without_touching_the_database(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_not_ready_until_a_worker_has_been_seen(app, clock):
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] is True
    assert response.json["migrations_current"] is True
    assert response.json["worker_recent"] is False
    assert response.json["worker_last_seen"] is None


def test_ready_once_a_worker_has_run_and_not_when_it_has_gone_quiet(app, clock):
    run_once()
    db.session.commit()
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 200
    assert ready.json["ready"] is True
    clock.advance(seconds=app.config["WORKER_HEARTBEAT_SECONDS"] + 1)
    quiet = app.test_client().get("/readyz")
    assert quiet.status_code == 503
    assert quiet.json["worker_recent"] is False
    assert quiet.json["worker_last_seen"] is not None


def test_a_worker_long_gone_is_forgotten(app, clock):
    start = clock.now()
    beat(db.session, "old-host:1", start, start)
    later = start + timedelta(days=2)
    beat(db.session, "new-host:2", later, later)
    rows = db.session.execute(sa.text("SELECT worker FROM worker_heartbeats")).scalars()
    assert list(rows) == ["new-host:2"]


def test_not_ready_when_the_schema_is_behind_the_code(app, clock):
    run_once()
    db.session.commit()
    db.session.execute(sa.text("UPDATE alembic_version SET version_num = '0006'"))
    db.session.commit()
    try:
        response = app.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["migrations_current"] is False
        assert response.json["database"] is True
    finally:
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = '0007'"))
        db.session.commit()


def test_not_ready_when_the_database_cannot_be_reached(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "ready": False,
        "database": False,
        "migrations_current": False,
        "worker_recent": False,
        "worker_last_seen": None,
    }


def test_two_beats_at_once_from_one_process_are_both_fine(app, clock, database_url):
    """Two threads of one process beat under the same name at the same moment (the
    outbox tests run two workers so): the second insert fails, and nothing breaks."""
    import threading

    from intake import create_app

    start = clock.now()
    db.session.remove()
    barrier = threading.Barrier(2)
    failures = []

    def beat_once() -> None:
        other = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
        with other.app_context():
            try:
                barrier.wait()
                beat(db.session, "one-host:42", start, start)
            except Exception as error:
                failures.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=beat_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    rows = db.session.execute(sa.text("SELECT worker FROM worker_heartbeats")).scalars()
    assert list(rows) == ["one-host:42"]
