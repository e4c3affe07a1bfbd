"""The WSGI entry point: `flask --app wsgi ...` and gunicorn's `wsgi:app`."""

from intake import create_app

app = create_app()
