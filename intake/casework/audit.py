"""The audit trail: every time a member of staff opens, changes or exports a case."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from intake.models import AuditEntry, Case


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    case: Case | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        action=action,
        case_id=case.id if case else None,
        case_reference=case.reference if case else None,
        detail=detail or {},
    )
    session.add(entry)
    return entry
