"""Polite pages for everything that can go wrong, never a stack trace."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError
from werkzeug.exceptions import HTTPException

from intake.extensions import end_transaction

log = logging.getLogger(__name__)

_PAGES = {
    400: (
        _l("Sorry, there is a problem with what was sent"),
        _l("Go back, check your answers and try again."),
    ),
    403: (
        _l("You cannot see this page"),
        _l("If you think you should be able to, contact us."),
    ),
    404: (
        _l("Page not found"),
        _l("If you typed the web address, check it is correct."),
    ),
    405: (
        _l("Sorry, there is a problem with what was sent"),
        _l("Go back and try again."),
    ),
    413: (
        _l("What you sent is too long"),
        _l("Go back, make your answer shorter and try again."),
    ),
    429: (
        _l("Sorry, there have been too many attempts"),
        _l("Wait a few minutes and try again."),
    ),
    500: (
        _l("Sorry, there is a problem with the service"),
        _l("Try again later. Your answers so far have been saved."),
    ),
}


def _page(status: int) -> tuple[str, int]:
    title, advice = _PAGES.get(status, _PAGES[500 if status >= 500 else 400])
    return render_template("errors/error.html", title=title, advice=advice, status=status), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _session_expired(error: CSRFError) -> tuple[str, int]:
        page = render_template(
            "errors/error.html",
            title=_l("Sorry, your session has ended"),
            advice=_l(
                "For your security, we could not accept that page because your session had"
                " ended. Go back to the start and try again."
            ),
            status=400,
            start_again=True,
        )
        return page, 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if error.response is not None:
            return error.response  # an answer made for the caller, e.g. Twilio's TwiML
        return _page(error.code or 500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PendingRollbackError)
    def _database_away(error: Exception) -> tuple[str, int, dict[str, str]]:
        # The database restarting or failing over: nothing half-saved (the transaction is
        # rolled back), and the caller is told to try again; the pool's pre-ping replaces
        # the dead connections by itself.
        end_transaction(keep_session=True)
        cause = error.orig if isinstance(error, DBAPIError) else error
        log.warning("database unavailable: %s", type(cause).__name__)
        title, advice = _PAGES[500]
        page = render_template("errors/error.html", title=title, advice=advice, status=503)
        return page, 503, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        # The type and where it happened, never the message: an exception's message can
        # quote the data it failed on, and that is people's words about children.
        where = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled %s\n%s", type(error).__name__, where)
        return _page(500)
