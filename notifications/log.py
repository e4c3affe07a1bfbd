"""The development provider: nothing leaves the machine.

It accepts every message and logs that it did, by channel and reference only (logs never
hold message text). The message itself stays in the outbox, where staff can read it on
the outbox page, so a fresh machine shows what would have been sent.
"""

from __future__ import annotations

from notifications import Message, Provider, Receipt


class LogProvider(Provider):
    name = "log"

    def _send(self, message: Message) -> Receipt:
        return Receipt(self.name, f"log-{message.reference or 'message'}")
