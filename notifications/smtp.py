"""Email over SMTP, with the standard library: plain text, and HTML beside it."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from notifications import Channel, Message, Provider, ProviderError, Receipt


class SmtpProvider(Provider):
    name = "smtp"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 15,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    def _send(self, message: Message) -> Receipt:
        if message.channel is not Channel.EMAIL:
            raise ProviderError(f"SMTP cannot send {message.channel}", retryable=False)
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        message_id = make_msgid(idstring=message.reference or None)
        email["Message-ID"] = message_id
        email.set_content(message.body)
        if message.html:
            email.add_alternative(message.html, subtype="html")
        # After the content: set_content() clears every Content-* header.
        email["Content-Language"] = message.language
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username and self.password:
                    server.login(self.username, self.password)
                server.send_message(email)
        except smtplib.SMTPRecipientsRefused as refused:
            # 4xx is "try again later" (greylisting, a full mailbox); 5xx is final.
            codes = [code for code, _text in refused.recipients.values()]
            later = bool(codes) and all(400 <= code < 500 for code in codes)
            raise ProviderError(
                f"the server refused the address ({', '.join(map(str, codes))})", retryable=later
            ) from refused
        except (smtplib.SMTPException, OSError) as failed:
            raise ProviderError(type(failed).__name__, retryable=True) from failed
        return Receipt(self.name, message_id.strip("<>"))
