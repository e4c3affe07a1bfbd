"""The production layout under load: gunicorn (2 web processes) and 2 `intake worker`
processes sharing one PostgreSQL, started from deploy/ exactly as documented.

    .venv/bin/python bench/production.py [--postgres URL] [--submissions 2000]
        [--messages 2000] [--clients 50] [--restart-postgres] [--speed] [--pages URL]

Load (always): `--submissions` whole online forms (every page, then Send) and
`--messages` signed Twilio webhooks (conversations of four messages from different
phones), from `--clients` concurrent clients. A client retries what failed with a clear,
retryable answer (503, or the connection refused while PostgreSQL restarts), exactly as a
browser's user or Twilio's retry would. Then it checks, and exits 1 if any is false:
exactly as many new cases as forms sent, every reference unique, exactly one
acknowledgement each in the outbox (all sent by the workers), every webhook stored once,
no 5xx at all (or, with --restart-postgres, only 503s while the database was away).

--restart-postgres restarts the server half way through the forms
(`pg_ctlcluster --skip-systemctl-redirect <version> main restart`).

--speed then measures, side by side in the same run on the same server: a bare Flask
endpoint returning "ok" (the framework's ceiling) against the signed webhook doing a
whole chat turn, and the final form submission. It prints requests a second, p50 and
p99, and the ratio. --pages URL times the team queue and a case page against a database
that already holds many cases (bench/report_history.py leaves a million in its schema).

The resident memory of each web process after the load is printed too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCHEMA = "intake_bench_production"
TOKEN = "bench-twilio-auth-token"  # noqa: S105 - a bench's own, fictional
NUMBER = "+447700900001"
PASSWORD = "bench password for a fictional officer"  # noqa: S105
RETRYABLE = {502, 503, 504}

sys.path.insert(0, str(ROOT))
from bench.schemas import own_schema  # noqa: E402
from intake.web.references import reference_in_url  # noqa: E402
from tests.support import PARENT_COMPLAINT  # noqa: E402 - the form's answers, as tests use

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(database: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "INTAKE_ENV": "development",
        "SECRET_KEY": "bench-secret-key",
        "DATABASE_URL": database,
        "RATELIMIT_ENABLED": "false",  # 50 clients from one address: not an attack
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_NUMBERS": NUMBER,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOW_FICTIONAL_PHONE_NUMBERS": "true",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_LOG_LEVEL": "warning",
        "LOG_FORMAT": "json",
        # A message claimed when the database went away is taken again after the lease:
        # short here, so the bench sees it sent before it gives up waiting.
        "OUTBOX_LEASE_SECONDS": "15",
    }


class Layout:
    """gunicorn with 2 web processes and 2 workers, as deploy/ runs them."""

    def __init__(
        self, database: str, app: str = "wsgi:app", workers: int = 2, alive: str = "/healthz"
    ) -> None:
        self.port = _free_port()
        self.env = _environment(database, self.port)
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-access-{self.port}.log"
        # The access log (stdout) is read for 5xx; the app's own log (stderr) is kept for
        # whoever wants to see what went wrong.
        self.error_log = self.access_log.with_suffix(".errors.log")
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", app],
            cwd=ROOT,
            env=self.env,
            stdout=self.access_log.open("w"),
            stderr=self.error_log.open("w"),
        )
        self.workers = [
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "intake", "worker", "--poll", "0.2"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        try:
            self._wait(alive)
        except BaseException:
            # Never leave a web process or a worker behind (they would run on, polling).
            self.stop()
            raise

    def _wait(self, path: str, timeout: float = 60) -> None:
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            try:
                if requests.get(self.base + path, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{path} never answered 200 on {self.base}")

    def ready(self) -> None:
        self._wait("/readyz")

    def web_processes_rss_mb(self) -> list[float]:
        found = []
        for child in Path("/proc").iterdir():
            if not child.name.isdigit():
                continue
            try:
                status = (child / "status").read_text()
            except OSError:
                continue
            if f"PPid:\t{self.web.pid}\n" in status:
                rss = re.search(r"VmRSS:\s+(\d+) kB", status)
                if rss:
                    found.append(int(rss.group(1)) / 1024)
        return found

    def statuses(self) -> list[int]:
        """The status of every request the load sent. The bench's own readiness polls are
        left out: /readyz answers 503 until the workers' first heartbeat, as it should,
        and on a busy machine the bench asks before that."""
        found = []
        for line in self.access_log.read_text().splitlines():
            try:
                entry = json.loads(line)
                if entry.get("path") != "/readyz":
                    found.append(int(entry["status"]))
            except (ValueError, KeyError, AttributeError):
                continue
        return found

    def stop(self) -> None:
        for process in [self.web, *self.workers]:
            process.terminate()
        for process in [self.web, *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _retrying(call: Callable[[], requests.Response], attempts: int = 60) -> requests.Response:
    """What a person (or Twilio's retry) does with a clear "try again": try again."""
    for _ in range(attempts):
        try:
            response = call()
        except requests.ConnectionError:
            time.sleep(0.5)
            continue
        if response.status_code not in RETRYABLE:
            return response
        time.sleep(0.5)
    raise RuntimeError("still failing after every retry")


class Timings:
    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.lock = threading.Lock()

    def add(self, seconds: float) -> None:
        with self.lock:
            self.seconds.append(seconds)

    def percentile(self, p: int) -> float:
        ordered = sorted(self.seconds)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


def send_form(base: str, final: Timings) -> None:
    """One parent's complaint through every page of the form, then Send."""
    browser = requests.Session()
    page = _retrying(lambda: browser.get(f"{base}/tell-us", timeout=30))
    for _ in range(20):
        if page.url.endswith("/check-your-answers"):
            break
        slug = page.url.rsplit("/", 1)[-1]
        token = CSRF.search(page.text).group(1)
        data = {**PARENT_COMPLAINT[slug], "csrf_token": token}
        url = page.url
        page = _retrying(lambda url=url, data=data: browser.post(url, data=data, timeout=30))
        assert page.status_code == 200, (slug, page.status_code)
    token = CSRF.search(page.text).group(1)
    started = time.perf_counter()
    sent = _retrying(lambda: browser.post(page.url, data={"csrf_token": token}, timeout=30))
    final.add(time.perf_counter() - started)
    assert sent.url.endswith("/tell-us/sent"), sent.url


def webhook(
    base: str,
    validator: RequestValidator,
    sender: str,
    body: str,
    sid: str,
    timings: Timings | None = None,
    http: Any = requests,
) -> None:
    params = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": NUMBER,
        "Body": body,
        "NumMedia": "0",
    }
    url = f"{base}/sms/inbound"
    signature = validator.compute_signature(url, params)
    started = time.perf_counter()
    answer = _retrying(
        lambda: http.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)
    )
    if timings:
        timings.add(time.perf_counter() - started)
    assert answer.status_code == 200 and "<Response" in answer.text, answer.status_code


CHAT = ["Hi", "1", "1", "yes"]  # language, complaint, "I am the young person": no case yet


def chat(base: str, validator: RequestValidator, phone: int, messages: int) -> None:
    sender = f"+447700{phone:06d}"
    for n in range(messages):
        webhook(base, validator, sender, CHAT[n % len(CHAT)], f"SM{phone:016d}{n:016d}")


def _restart_postgres(outcome: dict[str, bool]) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=False
    )
    outcome["restarted"] = done.returncode == 0


def load(options: argparse.Namespace, database: str) -> bool:
    layout = Layout(database)
    ok = True
    try:
        layout.ready()
        validator = RequestValidator(TOKEN)
        final = Timings()
        phones = options.messages // len(CHAT)
        done = {"forms": 0}
        restarted = threading.Event()
        restart: dict[str, bool] = {}

        def form() -> None:
            send_form(layout.base, final)
            done["forms"] += 1
            if (
                options.restart_postgres
                and not restarted.is_set()
                and (done["forms"] >= options.submissions // 2)
            ):
                restarted.set()
                threading.Thread(target=_restart_postgres, args=(restart,)).start()

        started = time.perf_counter()
        with ThreadPoolExecutor(options.clients) as pool:
            jobs = [pool.submit(form) for _ in range(options.submissions)]
            jobs += [
                pool.submit(chat, layout.base, validator, 900000 + p, len(CHAT))
                for p in range(phones)
            ]
            failures = [job.exception() for job in jobs if job.exception()]
        took = time.perf_counter() - started
        print(
            f"load: {options.submissions:,} forms and {phones * len(CHAT):,} webhooks from "
            f"{options.clients} clients in {took:.1f} s; final Send p50 "
            f"{final.percentile(50):.0f} ms, p99 {final.percentile(99):.0f} ms"
        )
        if failures:
            ok = False
            print(f"  FAILED: {len(failures)} clients gave up, e.g. {failures[0]!r}")
        engine = sa.create_engine(database)
        until = time.monotonic() + 180
        with engine.connect() as db:
            while time.monotonic() < until:
                pending = db.execute(
                    sa.text(
                        "SELECT count(*) FROM outbox_messages WHERE state IN ('pending', 'sending')"
                    )
                ).scalar()
                if not pending:
                    break
                time.sleep(1)
            cases = db.execute(
                sa.text(
                    "SELECT count(*), count(DISTINCT reference) FROM cases"
                    " WHERE method = 'online_form'"
                )
            ).one()
            acknowledgements = db.execute(
                sa.text(
                    "SELECT count(*), count(DISTINCT case_id), coalesce(sum(CASE WHEN state ="
                    " 'sent' THEN 1 ELSE 0 END), 0) FROM outbox_messages"
                    " WHERE template = 'acknowledgement'"
                )
            ).one()
            inbound = db.execute(sa.text("SELECT count(*) FROM inbound_messages")).scalar()
        engine.dispose()
        statuses = layout.statuses()
        errors = [s for s in statuses if s >= 500]
        allowed = {503} if options.restart_postgres else set()
        rss = layout.web_processes_rss_mb()
        # Recovered by itself: the same processes answer, with the database, unprompted.
        recovered = requests.get(layout.base + "/readyz", timeout=10).status_code == 200
        checks = {
            f"{options.submissions:,} new cases": cases[0] == options.submissions,
            "every reference unique": cases[1] == cases[0],
            "one acknowledgement per case": tuple(acknowledgements[:2]) == (cases[0], cases[0]),
            "every acknowledgement sent by the workers": acknowledgements[2] == cases[0],
            f"{phones * len(CHAT):,} webhooks stored once each": inbound == phones * len(CHAT),
            "no 5xx" + (" but 503 while PostgreSQL was away" if allowed else ""): not [
                s for s in errors if s not in allowed
            ],
            "ready afterwards, the same processes, nothing restarted by hand": recovered,
            "each web process under 150 MB": bool(rss) and max(rss) < 150,
        }
        if options.restart_postgres:
            checks["PostgreSQL was restarted half way"] = restart.get("restarted") is True
        for name, held in checks.items():
            print(f"  {'ok  ' if held else 'FAIL'} {name}")
            ok = ok and held
        if errors:
            print(f"  the web processes' log: {layout.error_log}")
        print(
            f"  requests answered: {len(statuses):,}; 5xx: {len(errors):,}"
            + (" (the restart)" if allowed and errors else "")
        )
        print(
            "  resident memory of each web process after the load: "
            + ", ".join(f"{mb:.0f} MB" for mb in rss)
            + " (target under 150 MB)"
        )
    finally:
        layout.stop()
    return ok


def _hammer(call: Callable[[], Any], requests_total: int, clients: int) -> tuple[float, Timings]:
    timings = Timings()

    def one(_n: int) -> None:
        started = time.perf_counter()
        call()
        timings.add(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(requests_total)))
    return requests_total / (time.perf_counter() - started), timings


def speed(options: argparse.Namespace, database: str, speed_database: str) -> None:
    """Busy (many clients: throughput) and quiet (one client per web process: the time a
    request takes without queueing), each for the ceiling and for the webhook.

    Both servers run side by side and are measured in alternating rounds: the machines
    this runs on are shared, and measuring all of one and then all of the other lets a
    change in the neighbours' load between the two pass for a difference between them.
    Each round gives a ratio; the median of the rounds is the figure to compare."""
    count = options.speed_requests
    rounds = max(1, options.speed_rounds)
    loads = [options.speed_clients, 2]
    bare = Layout(database, app="bench.bare_app:app", workers=0, alive="/ok")
    try:
        layout = Layout(speed_database)
    except BaseException:
        bare.stop()
        raise
    session = threading.local()
    validator = RequestValidator(TOKEN)
    turns = iter(range(10**9))

    def get_ok() -> None:
        if not hasattr(session, "s"):
            session.s = requests.Session()
        assert session.s.get(f"{bare.base}/ok", timeout=30).text == "ok"

    def turn() -> None:
        n = next(turns)
        # The same client as the ceiling's: one requests.Session a thread.
        if not hasattr(session, "hooks"):
            session.hooks = requests.Session()
        webhook(
            layout.base,
            validator,
            f"+44770{n // len(CHAT):07d}",
            CHAT[n % len(CHAT)],
            f"SM{n:032d}",
            http=session.hooks,
        )

    measured: dict[int, dict[str, Any]] = {}
    finals: dict[int, tuple[float, Timings]] = {}
    try:
        _hammer(get_ok, 200, loads[0])  # warm up both
        _hammer(turn, 200, loads[0])
        for clients in loads:
            found: dict[str, Any] = {"ok": [], "turn": [], "ratios": []}
            ok_times, turn_times = Timings(), Timings()
            for _ in range(rounds):
                ok_rate, ok_round = _hammer(get_ok, count // rounds, clients)
                turn_rate, turn_round = _hammer(turn, count // rounds, clients)
                found["ok"].append(ok_rate)
                found["turn"].append(turn_rate)
                found["ratios"].append(turn_rate / ok_rate)
                ok_times.seconds += ok_round.seconds
                turn_times.seconds += turn_round.seconds
            found["ok_times"], found["turn_times"] = ok_times, turn_times
            measured[clients] = found
        for clients in loads:
            final = Timings()
            forms = max(20, count // 40)
            started = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                list(pool.map(lambda _n, f=final: send_form(layout.base, f), range(forms)))
            finals[clients] = (forms / (time.perf_counter() - started), final)
    finally:
        bare.stop()
        layout.stop()
    print(
        f"speed ({count:,} requests each, in {rounds} alternating rounds; gunicorn with 2 web"
        " processes on PostgreSQL):"
    )
    for clients in loads:
        found = measured[clients]
        top, rate = statistics.median(found["ok"]), statistics.median(found["turn"])
        top_times, times = found["ok_times"], found["turn_times"]
        ratios = sorted(found["ratios"])
        form_rate, final = finals[clients]
        print(f"  {clients} concurrent clients:")
        print(
            f"    bare Flask 'ok':      {top:6.0f} a second, p50 {top_times.percentile(50):6.1f}"
            f" ms, p99 {top_times.percentile(99):6.1f} ms"
        )
        print(
            f"    signed chat webhook: {rate:6.0f} a second, p50 {times.percentile(50):6.1f} ms,"
            f" p99 {times.percentile(99):6.1f} ms; {100 * statistics.median(ratios):.0f} % of"
            f" the ceiling (rounds: {', '.join(f'{100 * r:.0f}' for r in ratios)} %;"
            " target 40 %, p99 under 50 ms)"
        )
        print(
            f"    whole forms: {form_rate:.1f} a second; the final Send p50"
            f" {final.percentile(50):.0f} ms, p99 {final.percentile(99):.0f} ms (target p99"
            f" under 100 ms); {final.percentile(99) / top_times.percentile(99):.1f} times the"
            " bare endpoint's p99"
        )


def pages(options: argparse.Namespace) -> None:
    """The team queue and a case page against a database that already holds many cases."""
    layout = Layout(options.pages, workers=0)
    try:
        env = layout.env
        subprocess.run(
            [
                str(BIN / "flask"),
                "--app",
                "wsgi",
                "intake",
                "users",
                "create",
                "--email",
                "bench.officer@example.org",
                "--name",
                "Bench Officer",
                "--role",
                "complaints_officer",
                "--password-stdin",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            input=PASSWORD + "\n",
            text=True,
        )
        engine = sa.create_engine(options.pages)
        with engine.connect() as db:
            total = db.execute(sa.text("SELECT count(*) FROM cases")).scalar()
            references = (
                db.execute(sa.text("SELECT reference FROM cases ORDER BY random() LIMIT 100"))
                .scalars()
                .all()
            )
        engine.dispose()
        browser = requests.Session()
        sign_in = browser.get(f"{layout.base}/staff/sign-in")
        token = CSRF.search(sign_in.text).group(1)
        signed_in = browser.post(
            f"{layout.base}/staff/sign-in",
            data={"email": "bench.officer@example.org", "password": PASSWORD, "csrf_token": token},
        )
        # Timing the sign-in page by mistake would look fast and mean nothing.
        if not signed_in.url.rstrip("/").endswith("/staff"):
            raise SystemExit(f"the bench officer could not sign in (ended on {signed_in.url})")
        # The baseline, on the same server in the same run: the cheapest page there is.
        baseline = Timings()
        for _ in range(200):
            started = time.perf_counter()
            assert browser.get(layout.base + "/healthz").status_code == 200
            baseline.add(time.perf_counter() - started)
        print(
            f"  baseline (/healthz on the same server): p50 {baseline.percentile(50):.1f} ms,"
            f" p95 {baseline.percentile(95):.1f} ms"
        )
        for name, path in [
            ("team queue", lambda n: "/staff/"),
            ("case page", lambda n: f"/staff/cases/{reference_in_url(references[n % 100])}"),
        ]:
            timings = Timings()
            for n in range(200):
                started = time.perf_counter()
                answer = browser.get(layout.base + path(n), allow_redirects=False)
                timings.add(time.perf_counter() - started)
                assert answer.status_code == 200, (name, answer.status_code, answer.url)
            print(
                f"  {name} with {total:,} cases: p50 {timings.percentile(50):.0f} ms,"
                f" p95 {timings.percentile(95):.0f} ms (target p95 under 100 ms);"
                f" {timings.percentile(95) / baseline.percentile(95):.1f} times the baseline's p95"
            )
    finally:
        layout.stop()


def _migrated(database: str) -> str:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=_environment(database, 0),
        check=True,
        capture_output=True,
    )
    return database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--speed-requests", type=int, default=4000)
    parser.add_argument("--speed-clients", type=int, default=20)
    parser.add_argument("--speed-rounds", type=int, default=5)
    parser.add_argument("--pages", help="a database URL already holding many cases")
    parser.add_argument(
        "--schema", default=SCHEMA, help="the PostgreSQL schema of the bench's own load"
    )
    options = parser.parse_args()
    if not options.postgres:
        parser.error("give --postgres URL (or set TEST_DATABASE_URL)")
    database = _migrated(own_schema(options.postgres, options.schema))
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    # --submissions 0 --messages 0: only the other measures (--speed, --pages).
    ok = load(options, database) if options.submissions or options.messages else True
    if options.speed:
        speed(options, database, _migrated(own_schema(options.postgres, options.schema + "_speed")))
    if options.pages:
        pages(options)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
