"""The intake service: hear from the people children's services serve."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, abort, request
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.casework.conversations import ChatSetup
from intake.casework.council import load_council_settings
from intake.casework.routing import load_routing
from intake.casework.staff import configure_password_hashing
from intake.chat.flow import load_flows
from intake.chat.safety import load_danger_words
from intake.clock import SystemClock
from intake.config import config_for, database_url, development_secret_key
from intake.extensions import babel, csrf, db, end_transaction, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests use it for their database)."""
    app = Flask(__name__, instance_relative_config=True)
    environment = os.environ.get("INTAKE_ENV", "development")
    app.config.from_object(config_for(environment))
    app.config.update(config or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
            app.config.get("DATABASE_URL"), app.instance_path
        )
    if not app.config.get("SECRET_KEY"):
        if environment != "development":
            raise RuntimeError("Set SECRET_KEY: sessions cannot be signed without it.")
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)

    council_file = app.config.get("COUNCIL_CONFIG")
    settings = load_council_settings(Path(council_file) if council_file else None, os.environ)
    app.extensions["intake.council"] = settings
    # The pages are offered in the council's languages unless a test or deployment says.
    app.config.setdefault("INTERFACE_LANGUAGES", list(settings.council.languages))
    teams_file = app.config.get("TEAMS_CONFIG")
    routing = load_routing(Path(teams_file) if teams_file else None, settings)
    app.extensions["intake.routing"] = routing
    danger_file = app.config.get("DANGER_WORDS_FILE")
    app.extensions["intake.chat"] = ChatSetup(
        settings=settings,
        flow=load_flows()[app.config["CHAT_FLOW"]],
        danger=load_danger_words(Path(danger_file) if danger_file else None),
        routing=routing,
    )
    app.extensions["intake.clock"] = SystemClock()
    configure_password_hashing(quick=bool(app.config.get("TESTING")))

    if app.config["TRUSTED_PROXY_COUNT"]:
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count
        )

    db.init_app(app)

    @app.teardown_request
    def _end_transaction(error: BaseException | None) -> None:
        # Every request ends its transaction, even where its app context lives on (the
        # CLI, tests): on SQLite an open transaction holds the write lock.
        end_transaction()

    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    # Before the CSRF check, which would otherwise blame an unreadable form on the session.
    app.before_request(_refuse_unreadable_forms)
    csrf.init_app(app)
    from intake.web.i18n import remember_language, select_locale

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_language)

    _configure_jinja(app)

    from intake import sms, staff
    from intake.web.references import ReferenceConverter

    # Before the blueprints: their routes use it.
    app.url_map.converters["reference"] = ReferenceConverter
    from intake.web import chat, errors, public

    app.register_blueprint(public.blueprint)
    app.register_blueprint(chat.blueprint)
    app.register_blueprint(sms.blueprint)
    staff.register(app)
    errors.register(app)
    from intake.web import health, limits, security

    health.register(app, MIGRATIONS_DIR)
    security.register(app)
    # After every blueprint: the limits wrap views that are already registered.
    limits.register(app)

    from intake.cli import intake_cli
    from intake.outbox.cli import outbox, worker
    from intake.reports.cli import import_cases_command, report
    from intake.retention_cli import export_person, retention

    intake_cli.add_command(worker)
    intake_cli.add_command(outbox)
    intake_cli.add_command(report)
    intake_cli.add_command(import_cases_command)
    intake_cli.add_command(retention)
    intake_cli.add_command(export_person)
    app.cli.add_command(intake_cli)
    return app


def _refuse_unreadable_forms() -> None:
    """A form body that is not UTF-8 gets a clear 400 instead of being silently emptied.

    Browsers always send UTF-8, percent-encoded; only a broken or hostile client sends raw
    invalid bytes, and Werkzeug would quietly drop the whole form.
    """
    if request.mimetype != "application/x-www-form-urlencoded":
        return
    try:
        request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError:
        abort(400)


def _configure_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("intake"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from intake.outbox import render
    from intake.web import template_helpers

    template_helpers.register(app)
    render.register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite as a server would behave: enforce foreign keys, wait rather than fail on a
    lock, and let readers carry on while one writer writes (WAL).

    Python's sqlite3 module starts transactions itself, late and only before writes, so a
    SAVEPOINT commits early and a read-then-write transaction can find its snapshot
    stale. It is switched off here and `_sqlite_begin` starts every transaction itself.
    """
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """Every SQLite transaction takes the write lock when it starts (BEGIN IMMEDIATE):
    writers queue for each other instead of failing, as rows locked FOR UPDATE would on
    PostgreSQL. Readers in other connections carry on (WAL). The embedded default is for
    one council office; PostgreSQL is for running at scale."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
