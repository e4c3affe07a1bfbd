"""A `twilio.http.HttpClient` that records what Twilio's SDK sends and answers as Twilio.

Everything above the HTTP transport is the real SDK: it builds the address, the form
fields and the basic auth, and turns the answer into a message or a TwilioRestException.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from twilio.http import HttpClient
from twilio.http.response import Response

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-twilio-auth-token"
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@dataclass
class Request:
    method: str
    url: str
    data: dict[str, Any]
    auth: tuple[str, str] | None


class RecordingHttpClient(HttpClient):
    """Answers every request with `status` and `body` (by default a queued message), or
    raises `failure` if set, as the SDK's own client raises `requests` errors."""

    def __init__(
        self, status: int = 201, body: str | None = None, failure: Exception | None = None
    ) -> None:
        super().__init__(logging.getLogger("tests.twilio_http"), is_async=False, timeout=2)
        self.status = status
        self.body = body
        self.failure = failure
        self.requests: list[Request] = []

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        self.requests.append(Request(method, url, dict(data or {}), auth))
        if self.failure is not None:
            raise self.failure
        return Response(self.status, self.body if self.body is not None else created(data or {}))


def created(data: dict[str, Any], sid: str = "SM" + "5" * 32) -> str:
    """Twilio's answer to a new message: the message resource, queued."""
    return json.dumps(
        {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": data.get("To"),
            "from": data.get("From"),
            "body": data.get("Body", ""),
            "status": "queued",
            "direction": "outbound-api",
            "num_segments": "1",
            "num_media": "0",
            "price": None,
            "price_unit": "GBP",
            "error_code": None,
            "error_message": None,
            "api_version": "2010-04-01",
            "date_created": "Mon, 05 Jan 2026 10:00:00 +0000",
            "date_updated": "Mon, 05 Jan 2026 10:00:00 +0000",
            "date_sent": None,
            "messaging_service_sid": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            "subresource_uris": {},
        }
    )


def error(status: int, code: int, message: str) -> str:
    """Twilio's error body, as the Messages API sends it."""
    return json.dumps(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
    )
