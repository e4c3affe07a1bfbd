"""Sending webhooks exactly as Twilio does: form-encoded, signed with twilio's own code."""

from __future__ import annotations

import itertools
from typing import Any

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-twilio-auth-token"  # the testing configuration's token
SERVICE_NUMBER = "+447700900001"  # the testing configuration's number
BASE = "http://localhost"

_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):032x}"


class TwilioWebhooks:
    """Posts to the service as Twilio would, signing every request with the auth token."""

    def __init__(self, client: FlaskClient, token: str = AUTH_TOKEN) -> None:
        self.client = client
        self.validator = RequestValidator(token)

    def post(
        self,
        path: str,
        params: dict[str, str],
        *,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        url = f"{BASE}{path}"
        signed = self.validator.compute_signature(url, params) if signature is None else signature
        return self.client.post(
            path, data=params, headers={"X-Twilio-Signature": signed, **(headers or {})}
        )

    def text(
        self,
        body: str,
        *,
        sender: str = "+447700900123",
        sid: str | None = None,
        to: str = SERVICE_NUMBER,
        media: int = 0,
        whatsapp: bool = False,
    ) -> Any:
        prefix = "whatsapp:" if whatsapp else ""
        params = {
            "MessageSid": sid or new_sid(),
            "AccountSid": "AC" + "0" * 32,
            "From": f"{prefix}{sender}",
            "To": f"{prefix}{to}",
            "Body": body,
            "NumMedia": str(media),
        }
        return self.post("/sms/inbound", params)


def replies(response: Any) -> list[str]:
    """The messages in a TwiML response, in order."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.get_data(as_text=True))
    return [message.text or "" for message in root.iter("Message")]
