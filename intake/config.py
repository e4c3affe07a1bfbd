"""Settings read from the environment: one class per environment, chosen by INTAKE_ENV.

Every variable is listed, with its default, in the README's configuration table.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: a SQLite file in instance/ unless DATABASE_URL says otherwise.

    Hosting platforms hand out `postgres://` URLs; they are pointed at psycopg 3.
    """
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'intake.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def development_secret_key(instance_path: str) -> str:
    """A key kept in instance/ so sessions survive restarts of the embedded service."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(48))
    return key_file.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    # Resolved in create_app(): a SQLite file in the instance folder when unset.
    DATABASE_URL = os.environ.get("DATABASE_URL")
    # pre-ping: after a database restart the pool quietly replaces dead connections.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    COUNCIL_CONFIG = os.environ.get("COUNCIL_CONFIG")
    # The teams and routing rules (default: intake/config/teams.toml).
    TEAMS_CONFIG = os.environ.get("TEAMS_CONFIG")

    # A person may take a long time to write what happened: the form's CSRF token lasts
    # as long as their session rather than an hour, so they never lose their words to it.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_NAME = "intake_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(days=int(os.environ.get("DRAFT_LIFETIME_DAYS", "7")))
    # Nobody's complaint is a megabyte; a bigger body is refused politely (413).
    MAX_CONTENT_LENGTH = 1024 * 1024

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/London"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    # The languages the pages are offered in come from the council's settings
    # ([council] languages); INTERFACE_LANGUAGES here would override them.

    # Twilio: the auth token its webhooks are signed with, and the numbers (E.164) this
    # council's service answers on; an empty list answers on any.
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    TWILIO_NUMBERS = [
        n.strip().removeprefix("whatsapp:")
        for n in os.environ.get("TWILIO_NUMBERS", "").split(",")
        if n.strip()
    ]
    # The address the public reaches the service at, e.g. https://tell.example.gov.uk;
    # used to check Twilio's signatures and to build callback addresses.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")
    DANGER_WORDS_FILE = os.environ.get("DANGER_WORDS_FILE")
    CHAT_FLOW = os.environ.get("CHAT_FLOW", "young_people")

    # How many proxies in front of the service set X-Forwarded-* headers (0: none).
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    # Sending messages (see the README's table): a provider per channel, "log" (the
    # development provider: the log and the outbox page) unless a council sets one.
    MESSAGE_PROVIDER_EMAIL = os.environ.get("MESSAGE_PROVIDER_EMAIL", "log")
    MESSAGE_PROVIDER_TEXT = os.environ.get("MESSAGE_PROVIDER_TEXT", "log")
    MESSAGE_PROVIDER_LETTER = os.environ.get("MESSAGE_PROVIDER_LETTER", "log")
    MESSAGE_TIMEOUT_SECONDS = float(os.environ.get("MESSAGE_TIMEOUT_SECONDS", "15"))
    SMTP_HOST = os.environ.get("SMTP_HOST")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_FROM = os.environ.get("SMTP_FROM")
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SMTP_STARTTLS = _flag("SMTP_STARTTLS", True)
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY")
    NOTIFY_EMAIL_TEMPLATE = os.environ.get("NOTIFY_EMAIL_TEMPLATE")
    NOTIFY_SMS_TEMPLATE = os.environ.get("NOTIFY_SMS_TEMPLATE")
    NOTIFY_LETTER_TEMPLATE = os.environ.get("NOTIFY_LETTER_TEMPLATE")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_SMS_FROM = os.environ.get("TWILIO_SMS_FROM")
    TWILIO_WHATSAPP_FROM = os.environ.get("TWILIO_WHATSAPP_FROM")
    # JSON: message template name -> approved WhatsApp ContentSid, for messages sent
    # outside WhatsApp's 24-hour window (without one, they go by text message).
    TWILIO_WHATSAPP_TEMPLATES = os.environ.get("TWILIO_WHATSAPP_TEMPLATES", "{}")
    # A claimed message not finished within the lease is taken again (its worker died).
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    # The first retry waits this long; each later one twice as long (at most 6 hours).
    OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS", "30"))

    # Rate limits (see intake/web/limits.py), in Flask-Limiter's notation. Counters are
    # kept in Redis when RATELIMIT_STORAGE_URI names one (redis://host:6379/0), so every
    # web process shares them; in memory otherwise.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")
    RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
    RATE_LIMIT_FORM = os.environ.get("RATE_LIMIT_FORM", "60 per minute;600 per hour")
    # Sending the form: a family may send two or three; a school's network a few more.
    RATE_LIMIT_SEND = os.environ.get("RATE_LIMIT_SEND", "10 per hour;30 per day")
    RATE_LIMIT_CHAT = os.environ.get("RATE_LIMIT_CHAT", "30 per minute;500 per day")
    RATE_LIMIT_TEXTS = os.environ.get("RATE_LIMIT_TEXTS", "30 per minute;500 per day")
    RATE_LIMIT_SIGN_IN = os.environ.get("RATE_LIMIT_SIGN_IN", "10 per minute;100 per day")

    # Readiness (/readyz) wants a worker heartbeat at least this recent.
    WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "120"))
    # Logs: "json" (one object a line, for collectors) or "text".
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # Closed cases are anonymised this many years after closure (intake retention).
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "6"))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Ofcom's drama ranges (07700 900xxx, 01632 960xxx) can never reach a real person;
    # they are accepted only where the service is being tried out or tested.
    ALLOW_FICTIONAL_PHONE_NUMBERS = _flag("ALLOW_FICTIONAL_PHONE_NUMBERS", False)


class DevelopmentConfig(Config):
    # Without SECRET_KEY, create_app() keeps a generated one in instance/secret_key.
    ALLOW_FICTIONAL_PHONE_NUMBERS = _flag("ALLOW_FICTIONAL_PHONE_NUMBERS", True)


class TestingConfig(Config):
    TESTING = True
    # The suite sends hundreds of forms from one address; the limits' own tests turn
    # them on.
    RATELIMIT_ENABLED = False
    SECRET_KEY = "test-only-secret"  # noqa: S105 - never used outside the test suite
    TWILIO_AUTH_TOKEN = "test-twilio-auth-token"  # noqa: S105 - fictional
    TWILIO_NUMBERS = ["+447700900001"]
    ALLOW_FICTIONAL_PHONE_NUMBERS = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(environment: str | None) -> type[Config]:
    name = (environment or "development").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"INTAKE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
