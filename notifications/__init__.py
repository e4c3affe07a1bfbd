"""Sending messages to people and staff: one interface, many providers.

The casework decides what to send and records it in the outbox; the worker hands each
message to a provider, which only delivers. Every provider is here behind `Provider`,
each in its own module with its SDK imported only there (GOV.UK Notify's habit):
`log` (development), `smtp` (email), `twilio` (text message and WhatsApp) and `notify`
(GOV.UK Notify: email, text message and letters). `send()` logs who it went to by
channel and the provider's id, never the text.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum

# Not `log`: that name is the development provider's submodule, which would replace it.
logger = logging.getLogger(__name__)


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    LETTER = "letter"


@dataclass(frozen=True)
class Message:
    channel: Channel
    to: str
    subject: str
    body: str
    language: str = "en"
    # Our outbox id: providers that take a reference use it to stop a resend doubling up.
    reference: str = ""
    html: str | None = None
    # A WhatsApp message outside the 24-hour window must be an approved template.
    whatsapp_template: str | None = None
    template_variables: dict[str, str] | None = None


@dataclass(frozen=True)
class Receipt:
    """What the provider said: its own id for the message, for status callbacks."""

    provider: str
    provider_id: str


class ProviderError(Exception):
    """Delivery failed; `retryable` says whether trying again may work."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


class Provider(ABC):
    name: str

    def send(self, message: Message) -> Receipt:
        """Deliver one message. Logs who it went to by channel only, never the text."""
        receipt = self._send(message)
        logger.info("sent %s via %s as %s", message.channel, self.name, receipt.provider_id)
        return receipt

    @abstractmethod
    def _send(self, message: Message) -> Receipt: ...
