"""Which provider sends which channel, from configuration (see the README's table).

The default is the development provider for everything, so a fresh machine "sends" to
its log and the outbox page, and nothing leaves it until a council configures a
provider.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from notifications import Provider
from notifications.log import LogProvider

CHANNEL_SETTINGS = {
    "email": "MESSAGE_PROVIDER_EMAIL",
    "sms": "MESSAGE_PROVIDER_TEXT",
    "whatsapp": "MESSAGE_PROVIDER_TEXT",
    "letter": "MESSAGE_PROVIDER_LETTER",
}


class ProviderSetupError(Exception):
    """A provider is chosen but not configured; the message says which setting is missing."""


def _need(config: Mapping[str, Any], *names: str) -> None:
    missing = [name for name in names if not config.get(name)]
    if missing:
        raise ProviderSetupError(f"set {', '.join(missing)} to send with this provider")


def build(name: str, config: Mapping[str, Any]) -> Provider:
    if name == "log":
        return LogProvider()
    if name == "smtp":
        from notifications.smtp import SmtpProvider

        _need(config, "SMTP_HOST", "SMTP_FROM")
        return SmtpProvider(
            host=config["SMTP_HOST"],
            port=int(config.get("SMTP_PORT") or 587),
            sender=config["SMTP_FROM"],
            username=config.get("SMTP_USERNAME"),
            password=config.get("SMTP_PASSWORD"),
            starttls=bool(config.get("SMTP_STARTTLS", True)),
            timeout=float(config.get("MESSAGE_TIMEOUT_SECONDS") or 15),
        )
    if name == "twilio":
        from notifications.twilio import TwilioProvider

        _need(config, "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_SMS_FROM")
        base = config.get("PUBLIC_BASE_URL")
        return TwilioProvider(
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            sms_from=config["TWILIO_SMS_FROM"],
            whatsapp_from=config.get("TWILIO_WHATSAPP_FROM"),
            # `outbox=1`: the report is for a message the worker sent, found by its sid.
            status_callback=f"{base.rstrip('/')}/sms/status?outbox=1" if base else None,
            http_client=config.get("TWILIO_HTTP_CLIENT"),
        )
    if name == "notify":
        from notifications.notify import NotifyProvider

        _need(config, "NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE", "NOTIFY_SMS_TEMPLATE")
        return NotifyProvider(
            api_key=config["NOTIFY_API_KEY"],
            email_template=config["NOTIFY_EMAIL_TEMPLATE"],
            sms_template=config["NOTIFY_SMS_TEMPLATE"],
            letter_template=config.get("NOTIFY_LETTER_TEMPLATE"),
            base_url=config.get("NOTIFY_BASE_URL") or "https://api.notifications.service.gov.uk",
            timeout=float(config.get("MESSAGE_TIMEOUT_SECONDS") or 15),
        )
    raise ProviderSetupError(f"unknown message provider {name!r}: use log, smtp, twilio or notify")


def providers_for(config: Mapping[str, Any]) -> dict[str, Provider]:
    """One provider per channel (a provider serving several channels is built once)."""
    built: dict[str, Provider] = {}
    chosen: dict[str, Provider] = {}
    for channel, setting in CHANNEL_SETTINGS.items():
        name = str(config.get(setting) or "log").strip().lower()
        if name not in built:
            built[name] = build(name, config)
        chosen[channel] = built[name]
    return chosen


def whatsapp_templates(config: Mapping[str, Any]) -> dict[str, str]:
    """Approved WhatsApp templates (ContentSid) by message template name."""
    raw = config.get("TWILIO_WHATSAPP_TEMPLATES") or "{}"
    found = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return {str(k): str(v) for k, v in found.items()}
