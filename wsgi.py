"""The WSGI entry point: `flask --app wsgi ...` and gunicorn's `wsgi:app`."""

from intake import create_app
from intake.logs import configure_logging

app = create_app()
# Under gunicorn (and the worker), logs go out as JSON lines unless LOG_FORMAT=text.
configure_logging(app.config["LOG_FORMAT"])
