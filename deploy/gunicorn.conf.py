"""gunicorn settings for the web processes: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed by the environment variable named beside it, so one file
serves every machine. The web processes keep no state of their own (sessions are signed
cookies, drafts and chats are in the database, rate-limit counters in Redis when
RATELIMIT_STORAGE_URI is set), so any number of machines can run them behind nginx.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core is gunicorn's rule of thumb; the work is mostly waiting on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request that takes this long is stuck (the slowest, a year's report, takes seconds).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak can never build up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the app before forking: workers share its memory, and a broken configuration
# stops the start instead of every worker failing one by one.
preload_app = True
# nginx on the same machine sets X-Forwarded-*; TRUSTED_PROXY_COUNT tells the app.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The access log holds the method, path and status, never a body; query strings are left
# out because a search box's words could be personal, and so is the visitor's address
# (personal data; nginx in front keeps its own log for security, under its own policy).
accesslog = "-"
access_log_format = (
    '{"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": %(B)s, "ms": %(M)s}'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own messages (workers starting, timing out) as JSON lines too, like the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "intake.logs.JsonFormatter"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    # The app's own JSON handler joins the root logger when it loads (wsgi.py).
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def post_fork(server, worker):
    # Connections made before the fork (by preload) must not be shared between workers.
    from intake.extensions import db

    app = server.app.wsgi()
    if "sqlalchemy" in getattr(app, "extensions", {}):
        with app.app_context():
            db.engine.dispose(close=False)
