"""Several workers, and a worker that dies: no message is lost and none is sent twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from intake.extensions import db
from intake.models import OutboxMessage
from intake.outbox.worker import run_once
from tests.outbox.conftest import Mailbox, free_port
from tests.staff.helpers import received
from tests.support import LONDON

ROOT = Path(__file__).resolve().parents[2]


def states() -> Counter[str]:
    db.session.expire_all()
    found = Counter(db.session.scalars(select(OutboxMessage.state)))
    # End the transaction: on SQLite it holds the write lock the worker needs.
    db.session.rollback()
    return found


def deliveries(mailbox: Mailbox) -> Counter[tuple[str, str]]:
    return Counter((m["To"], m["Subject"]) for m in mailbox.received)


def test_two_workers_at_once_never_send_the_same_message(app, clock, smtp, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("on SQLite one worker is enough: every write is serialised")
    for _case in range(15):
        received()
    db.session.remove()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with app.app_context():
                run_once()
        except BaseException as failed:
            errors.append(failed)

    workers = [threading.Thread(target=work) for _worker in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert errors == []
    assert set(states()) == {"sent"}
    assert sum(deliveries(smtp).values()) == sum(states().values()) >= 30
    assert max(deliveries(smtp).values()) == 1


class Hangs(Mailbox):
    """An SMTP server that, while `hang` is set, never answers the DATA it is given."""

    hang = True
    started = 0

    async def handle_DATA(self, server, session, envelope):
        if self.hang:
            self.started += 1
            await asyncio.sleep(3600)
        return await super().handle_DATA(server, session, envelope)


def _worker(database_url: str, port: int) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "INTAKE_ENV": "testing",
        "DATABASE_URL": database_url,
        "MESSAGE_PROVIDER_EMAIL": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_FROM": "complaints@example.org",
        "SMTP_STARTTLS": "0",
        "MESSAGE_TIMEOUT_SECONDS": "60",
        "OUTBOX_LEASE_SECONDS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "intake", "worker", "--poll", "0.2"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} seconds for {what}")
        time.sleep(0.1)


def test_a_worker_killed_mid_send_leads_to_exactly_one_delivery(app, clock, database_url):
    # The worker in its own process keeps real time: the case arrives before it.
    clock.moment = datetime(2026, 11, 20, 10, 0, tzinfo=LONDON)
    received()
    db.session.remove()
    box = Hangs()
    server = Controller(box, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        first = _worker(database_url, server.port)
        try:
            _wait_for(lambda: box.started >= 1, "the worker to start sending")
            assert states()["sending"] >= 1
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        db.session.remove()
        box.hang = False

        second = _worker(database_url, server.port)
        try:
            _wait_for(
                lambda: set(states()) == {"sent"} and len(box.received) == sum(states().values()),
                "the restarted worker to send everything",
            )
        finally:
            second.terminate()
            second.wait(timeout=30)
    finally:
        server.stop()

    assert deliveries(box)[("jo@example.org", next(iter(_acknowledgement_subjects(box))))] == 1
    assert max(deliveries(box).values()) == 1
    assert len(box.received) == sum(states().values())


def _acknowledgement_subjects(box: Mailbox) -> set[str]:
    return {m["Subject"] for m in box.received if m["To"] == "jo@example.org"}
