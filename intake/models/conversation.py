"""Conversations by text message, WhatsApp, web chat and the terminal.

One row per sender and channel holds where their conversation has got to. Every
inbound message is recorded by the provider's id before it is processed, so a retried
webhook is answered the same way and processed once, whichever web process gets it.
What the young person wrote lives only in the conversation's answers until it becomes a
case; the messages we send are kept (they never repeat the young person's words).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intake.models.base import Base, utcnow


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("channel", "address", name="uq_conversations_channel_address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    # An E.164 phone number, or a random id for a browser or terminal session.
    address: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # After STOP nothing more is sent to this address until START.
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The case this run of the conversation has already made (incomplete or safeguarding).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    last_message_at: Mapped[datetime | None]
    # When an unfinished conversation is kept as an incomplete case, if nothing arrives.
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class InboundMessage(Base):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Twilio's MessageSid, or a random id for web and terminal messages.
    provider_id: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    received_at: Mapped[datetime]
    media_count: Mapped[int] = mapped_column(default=0)

    replies: Mapped[list[OutboundMessage]] = relationship(
        back_populates="inbound", order_by="OutboundMessage.id"
    )


# A reply's state until the provider reports on it.
QUEUED = "queued"


class OutboundMessage(Base):
    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    inbound_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # queued, sent, delivered, undelivered, failed, read: from the provider's callbacks.
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    status_at: Mapped[datetime | None]
    error_code: Mapped[str | None] = mapped_column(String(16))

    inbound: Mapped[InboundMessage | None] = relationship(back_populates="replies")


class SafeguardingAlert(Base):
    """An urgent alert for the duty team (or out of hours, the emergency duty team)."""

    __tablename__ = "safeguarding_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    raised_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    team: Mapped[str] = mapped_column(String(64))
    urgent: Mapped[bool] = mapped_column(Boolean, default=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
