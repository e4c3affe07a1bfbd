"""Flask extensions, created once here and bound to the app in create_app()."""

import logging

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import DBAPIError

from intake.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()

log = logging.getLogger(__name__)


def end_transaction(*, keep_session: bool = False) -> None:
    """Roll back whatever this request left open, even when the database has gone.

    A restart can end the connection after the view has answered; the rollback is then the
    first to hear of it, and raising would turn a finished answer into a 500. Nothing is
    left to roll back on a connection the server has closed, so the session lets go of it
    (the pool's pre-ping replaces it on the next checkout).
    """
    try:
        if keep_session:
            db.session.rollback()
        else:
            db.session.remove()
    except DBAPIError as error:
        log.warning("connection lost while ending a transaction: %s", type(error.orig).__name__)
        db.session().invalidate()
        if not keep_session:
            db.session.remove()
