"""The words a case is recorded in (../shared/domain.md, "What a case records").

The values are what the database stores and what reports, imports and the JSON output
use, so they never change once released. What people read is in `forms/choices.py`,
translated.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    COMPLAINT = "complaint"
    COMPLIMENT = "compliment"
    COMMENT = "comment"  # a comment or informal concern ("representation")
    CASE_CONCERN = "case_concern"
    ADVOCACY_REQUEST = "advocacy_request"
    PRE_COMPLAINT = "pre_complaint"
    MEMBERS_ENQUIRY = "members_enquiry"


class Procedure(StrEnum):
    STATUTORY = "statutory"
    CORPORATE = "corporate"


class Status(StrEnum):
    NEW = "new"  # received, nobody has looked at it yet
    OPEN = "open"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


class Method(StrEnum):
    """How the case reached us (method of receipt)."""

    ONLINE_FORM = "online_form"
    EMAIL = "email"
    LETTER = "letter"
    TELEPHONE = "telephone"
    IN_PERSON = "in_person"
    TEXT_MESSAGE = "text_message"
    WHATSAPP = "whatsapp"
    WEB_CHAT = "web_chat"
    APP = "app"
    YOUNG_PERSONS_FORM = "young_persons_form"
    OMBUDSMAN = "ombudsman"
    MP_COUNCILLOR = "mp_councillor"


class Role(StrEnum):
    """Who made it: their relationship to the child."""

    PARENT = "parent"  # a parent or someone with parental responsibility
    ADOPTER = "adopter"
    STEP_PARENT = "step_parent"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    FOSTER_CARER = "foster_carer"
    PROSPECTIVE_CARER = "prospective_carer"  # prospective foster carer or adopter
    SPECIAL_GUARDIAN = "special_guardian"
    YOUNG_PERSON = "young_person"
    ADVOCATE = "advocate"
    PROFESSIONAL = "professional"
    MP_COUNCILLOR = "mp_councillor"
    OTHER = "other"
    UNKNOWN = "unknown"


class ChildStatus(StrEnum):
    """What help the child gets, as far as the person telling us knows."""

    CHILD_IN_CARE = "child_in_care"
    CARE_LEAVER = "care_leaver"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    DISABLED = "disabled"
    SEND_EHCP = "send_ehcp"
    DONT_KNOW = "dont_know"


class AgeBand(StrEnum):
    UNDER_5 = "under_5"
    FROM_5_TO_9 = "5_to_9"
    FROM_10_TO_15 = "10_to_15"
    FROM_16_TO_17 = "16_to_17"
    FROM_18_TO_25 = "18_to_25"
    OVER_25 = "over_25"


class WhenHappened(StrEnum):
    STILL_HAPPENING = "still_happening"
    LAST_3_MONTHS = "last_3_months"
    FROM_3_TO_12_MONTHS = "3_to_12_months"
    OVER_12_MONTHS = "over_12_months"
    NOT_SURE = "not_sure"


class OutcomeSought(StrEnum):
    REQUEST_FULFILLED = "request_fulfilled"
    APOLOGY = "apology"
    EXPLANATION = "explanation"
    CHANGE_OF_WORKER = "change_of_worker"
    MEETING = "meeting"
    CHANGE_TO_CONTACT = "change_to_contact"
    ASSESSMENT_REVIEW = "assessment_review"
    COMPENSATION = "compensation"
    POLICY_REVIEW = "policy_review"
    REMOVAL_OF_PLAN = "removal_of_plan"
    KEPT_INFORMED = "kept_informed"
    OTHER = "other"
    NOT_SPECIFIED = "not_specified"


class ReplyMethod(StrEnum):
    EMAIL = "email"
    TEXT_MESSAGE = "text_message"
    PHONE = "phone"
    LETTER = "letter"
    NONE = "none"  # only for a compliment or a comment, which may be anonymous


class AccessNeed(StrEnum):
    LARGE_PRINT = "large_print"
    EASY_READ = "easy_read"
    INTERPRETER = "interpreter"
    BSL = "bsl"
    BRAILLE = "braille"
    OTHER = "other"


class ChildConsent(StrEnum):
    """Whether the child agreed to an advocate making the complaint."""

    YES = "yes"
    NO = "no"
    UNABLE = "unable"  # the child is not able to say


class StageOutcome(StrEnum):
    UPHELD = "upheld"
    PARTIALLY_UPHELD = "partially_upheld"
    NOT_UPHELD = "not_upheld"
    WITHDRAWN = "withdrawn"
    NOT_PROGRESSING = "not_progressing"
    REFUSED = "refused"
    RESOLVED_INFORMALLY = "resolved_informally"


class RefusalReason(StrEnum):
    OUT_OF_TIME = "out_of_time"
    NO_PARENTAL_RESPONSIBILITY = "no_parental_responsibility"
    OUTSIDE_REMIT = "outside_remit"
    COURT_PROCEEDINGS = "court_proceedings"
    NOT_IN_BEST_INTEREST = "not_in_best_interest"


class RemedyAction(StrEnum):
    APOLOGY = "apology"
    EXPLANATION = "explanation"
    MEETING = "meeting"
    CHANGE_OF_WORKER = "change_of_worker"
    FINANCIAL_REMEDY = "financial_remedy"
    SERVICE_PROVIDED = "service_provided"
    OTHER = "other"


class OmbudsmanDecision(StrEnum):
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries"
    PREMATURE = "premature"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
    NO_FAULT = "no_fault"
    FAULT_WITHOUT_INJUSTICE = "fault_without_injustice"
    FAULT_WITH_INJUSTICE = "fault_with_injustice"
    LOCAL_SETTLEMENT = "local_settlement"


class LearningStatus(StrEnum):
    AGREED = "agreed"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class CorrespondenceDirection(StrEnum):
    IN = "in"
    OUT = "out"


def age_band(age: int) -> AgeBand:
    """The band reports count a child in; bands follow the councils' published tables."""
    if age < 5:
        return AgeBand.UNDER_5
    if age < 10:
        return AgeBand.FROM_5_TO_9
    if age < 16:
        return AgeBand.FROM_10_TO_15
    if age < 18:
        return AgeBand.FROM_16_TO_17
    if age <= 25:
        return AgeBand.FROM_18_TO_25
    return AgeBand.OVER_25
