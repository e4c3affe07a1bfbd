"""Every model, imported here so Alembic and the app see the whole schema."""

from intake.models.audit import AuditEntry
from intake.models.base import Base
from intake.models.calendar import WorkingDay
from intake.models.case import (
    AccessNeedEntry,
    Case,
    CaseReason,
    CaseTeam,
    Child,
    ChildStatusEntry,
    Contact,
    OutcomeSoughtEntry,
)
from intake.models.conversation import (
    Conversation,
    InboundMessage,
    OutboundMessage,
    SafeguardingAlert,
)
from intake.models.draft import FormDraft
from intake.models.equality import EqualityResponse
from intake.models.heartbeat import WorkerHeartbeat
from intake.models.outbox import OutboxMessage, StaffTask
from intake.models.reference import ReferenceCounter
from intake.models.staff import StaffTeam, StaffUser
from intake.models.stages import LearningAction, OmbudsmanEnquiry, StageAction, StageRecord
from intake.models.timeline import CaseEvent, Correspondence

__all__ = [
    "AccessNeedEntry",
    "AuditEntry",
    "Base",
    "Case",
    "CaseEvent",
    "CaseReason",
    "CaseTeam",
    "Child",
    "ChildStatusEntry",
    "Contact",
    "Conversation",
    "Correspondence",
    "EqualityResponse",
    "FormDraft",
    "InboundMessage",
    "LearningAction",
    "OmbudsmanEnquiry",
    "OutboundMessage",
    "OutboxMessage",
    "OutcomeSoughtEntry",
    "ReferenceCounter",
    "SafeguardingAlert",
    "StaffTask",
    "StaffTeam",
    "StaffUser",
    "StageAction",
    "StageRecord",
    "WorkerHeartbeat",
    "WorkingDay",
]
