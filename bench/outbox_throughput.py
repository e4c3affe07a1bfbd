"""How fast the worker empties the outbox: messages per second, sustained.

    .venv/bin/python bench/outbox_throughput.py [--messages 100000] [--postgres URL]

Fills the outbox with `--messages` staff notifications, then lets the real worker code
(`intake.outbox.worker.send_due`: claim, render, send, record) send them all through the
development provider, which accepts at once, so what is measured is the service's own
work and the database's. It does this on SQLite and, when a PostgreSQL URL is given (or
TEST_DATABASE_URL is set), on PostgreSQL with one worker and with two worker processes.

Machines here are shared and noisy, so each figure is printed beside a baseline measured
in the same run on the same database: a bare loop that marks the same number of rows sent,
one short transaction each, with plain SQL. The ratio (worker / baseline) is the number to
compare between runs; the messages per second are for the README.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INTAKE_ENV", "testing")

from flask_migrate import upgrade

from intake import create_app
from intake.extensions import db
from intake.models import OutboxMessage
from intake.outbox.worker import Report, send_due

BATCH = 200


def _app(url: str):  # type: ignore[no-untyped-def]
    return create_app({"SQLALCHEMY_DATABASE_URI": url})


def _fill(url: str, count: int) -> None:
    app = _app(url)
    with app.app_context():
        db.session.execute(sa.delete(OutboxMessage))
        now = datetime.now(UTC)
        rows = [
            {
                "recipient_kind": "staff",
                "channel": "email",
                "to": "assessment@example.org",
                "template": "case_routed",
                "language": "en",
                "params": {
                    "reference": f"CS-2026-{n:05d}",
                    "kind": "complaint",
                    "team": "Assessment",
                    "urgent": False,
                    "due_on": "2026-12-07",
                },
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "dedupe_key": f"bench:{n}",
                "created_at": now,
            }
            for n in range(count)
        ]
        for start in range(0, count, 5000):
            db.session.execute(sa.insert(OutboxMessage), rows[start : start + 5000])
        db.session.commit()


def _work(url: str) -> None:
    app = _app(url)
    with app.app_context():
        report = Report()
        while send_due(db.session, report, limit=BATCH):
            pass
        db.session.remove()


def _baseline(url: str, count: int) -> float:
    """Seconds for a bare loop marking `count` rows sent, a small batch per transaction."""
    engine = sa.create_engine(url)
    table = OutboxMessage.__table__
    started = time.perf_counter()
    with engine.connect() as connection:
        while True:
            with connection.begin():
                ids = [
                    row[0]
                    for row in connection.execute(
                        sa.select(table.c.id).where(table.c.state == "pending").limit(BATCH)
                    )
                ]
                if not ids:
                    break
                connection.execute(
                    sa.update(table).where(table.c.id.in_(ids)).values(state="sending")
                )
            for message_id in ids:
                with connection.begin():
                    connection.execute(
                        sa.update(table)
                        .where(table.c.id == message_id)
                        .values(state="sent", provider="log", provider_id=f"log-{message_id}")
                    )
    engine.dispose()
    return time.perf_counter() - started


def _timed(url: str, count: int, workers: int) -> float:
    _fill(url, count)
    started = time.perf_counter()
    if workers == 1:
        _work(url)
    else:
        processes = [multiprocessing.Process(target=_work, args=(url,)) for _ in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    elapsed = time.perf_counter() - started
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        sent = connection.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage.__table__)
            .where(OutboxMessage.__table__.c.state == "sent")
        )
    engine.dispose()
    if sent != count:
        raise SystemExit(f"only {sent} of {count} messages were sent")
    return elapsed


def _prepare(url: str) -> None:
    app = _app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _postgres(base: str) -> str:
    url = sa.make_url(base).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS outbox_bench CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA outbox_bench"))
    admin.dispose()
    return url.update_query_dict({"options": "-csearch_path=outbox_bench"}).render_as_string(
        hide_password=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    options = parser.parse_args()
    count = options.messages
    setups: list[tuple[str, str, list[int]]] = []
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        setups.append(("SQLite", sqlite, [1]))
        if options.postgres:
            setups.append(("PostgreSQL", _postgres(options.postgres), [1, 2]))
        print(f"{count:,} messages through the development provider")
        print(f"{'database':<11} {'workers':>7} {'msg/s':>9} {'baseline msg/s':>15} {'ratio':>6}")
        for name, url, worker_counts in setups:
            _prepare(url)
            _fill(url, count)
            baseline = count / _baseline(url, count)
            for workers in worker_counts:
                rate = count / _timed(url, count, workers)
                print(
                    f"{name:<11} {workers:>7} {rate:>9,.0f} {baseline:>15,.0f} "
                    f"{rate / baseline:>6.2f}"
                )


if __name__ == "__main__":
    main()
