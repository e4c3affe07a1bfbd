"""GOV.UK Notify: email, text messages and letters, through its own client.

Most councils already use and pay for Notify, and it prints and posts letters for people
without email or a phone. Each channel uses one template in Notify whose body is
`((body))` (and subject `((subject))` for email), so the words stay in this service and
in the recipient's language.
"""

from __future__ import annotations

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications import Channel, Message, Provider, ProviderError, Receipt


class NotifyProvider(Provider):
    name = "notify"

    def __init__(
        self,
        *,
        api_key: str,
        email_template: str,
        sms_template: str,
        letter_template: str | None = None,
        base_url: str = "https://api.notifications.service.gov.uk",
        timeout: float = 15,
    ) -> None:
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.email_template = email_template
        self.sms_template = sms_template
        self.letter_template = letter_template

    def _send(self, message: Message) -> Receipt:
        try:
            if message.channel is Channel.EMAIL:
                sent = self.client.send_email_notification(
                    email_address=message.to,
                    template_id=self.email_template,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=message.reference or None,
                )
            elif message.channel in {Channel.SMS, Channel.WHATSAPP}:
                sent = self.client.send_sms_notification(
                    phone_number=message.to,
                    template_id=self.sms_template,
                    personalisation={"body": message.body},
                    reference=message.reference or None,
                )
            elif message.channel is Channel.LETTER and self.letter_template:
                lines = [line for line in message.to.split("\n") if line.strip()]
                if len(lines) > 7:
                    # Notify takes seven lines and the last must be the postcode.
                    lines = [*lines[:5], ", ".join(lines[5:-1]), lines[-1]]
                address = {f"address_line_{n}": line for n, line in enumerate(lines[:7], 1)}
                sent = self.client.send_letter_notification(
                    template_id=self.letter_template,
                    personalisation={**address, "subject": message.subject, "body": message.body},
                    reference=message.reference or None,
                )
            else:
                raise ProviderError(f"Notify is not set up for {message.channel}", retryable=False)
        except HTTPError as failed:
            code = failed.status_code
            raise ProviderError(f"notify {code}", retryable=code >= 500 or code == 429) from failed
        except OSError as failed:
            raise ProviderError(type(failed).__name__, retryable=True) from failed
        return Receipt(self.name, str(sent.get("id", "")))
