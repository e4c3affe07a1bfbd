"""Text messages and WhatsApp through Twilio's own SDK.

Outside WhatsApp's 24-hour customer-service window only approved templates may be sent
(a ContentSid): the worker decides, and gives this provider either a template or a
text message instead.
"""

from __future__ import annotations

import json
from typing import Any

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from notifications import Channel, Message, Provider, ProviderError, Receipt


class TwilioProvider(Provider):
    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sms_from: str,
        whatsapp_from: str | None = None,
        status_callback: str | None = None,
        http_client: Any = None,
    ) -> None:
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.sms_from = sms_from
        self.whatsapp_from = whatsapp_from
        self.status_callback = status_callback

    def _send(self, message: Message) -> Receipt:
        options: dict[str, Any] = {}
        if self.status_callback:
            options["status_callback"] = self.status_callback
        if message.channel is Channel.WHATSAPP and self.whatsapp_from:
            options.update(to=f"whatsapp:{message.to}", from_=f"whatsapp:{self.whatsapp_from}")
            if message.whatsapp_template:
                options["content_sid"] = message.whatsapp_template
                options["content_variables"] = json.dumps(message.template_variables or {})
            else:
                options["body"] = message.body
        elif message.channel in {Channel.SMS, Channel.WHATSAPP}:
            options.update(to=message.to, from_=self.sms_from, body=message.body)
        else:
            raise ProviderError(f"Twilio cannot send {message.channel}", retryable=False)
        try:
            created = self.client.messages.create(**options)
        except TwilioRestException as failed:
            # Twilio's own 4xx (a bad or unsubscribed number) will not improve on a retry.
            retryable = failed.status >= 500 or failed.status == 429
            raise ProviderError(f"twilio {failed.status} {failed.code}", retryable=retryable) from (
                failed
            )
        except OSError as failed:
            raise ProviderError(type(failed).__name__, retryable=True) from failed
        return Receipt(self.name, str(created.sid))
