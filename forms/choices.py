"""What people read for each value the service records, in plain words, translatable."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from intake.casework.vocabulary import (
    AccessNeed,
    ChildConsent,
    ChildStatus,
    Kind,
    OutcomeSought,
    ReplyMethod,
    Role,
    WhenHappened,
)

KIND_LABELS = {
    Kind.COMPLAINT: _l("Make a complaint"),
    Kind.COMPLIMENT: _l("Say thank you"),
    Kind.COMMENT: _l("Tell us something or tell us you are worried"),
    Kind.ADVOCACY_REQUEST: _l("Ask for an advocate for a child or young person"),
}
KIND_HINTS = {
    Kind.COMPLAINT: _l("Something has gone wrong and you want us to put it right."),
    Kind.COMPLIMENT: _l("Someone did something well and you want them to know."),
    Kind.COMMENT: _l(
        "You want us to know about something, but you do not want to make a complaint."
    ),
    Kind.ADVOCACY_REQUEST: _l(
        "An advocate is someone independent who helps a child or young person say what they"
        " think and be listened to. It is free."
    ),
}
# How each kind is named in a sentence ("Your complaint has been sent").
KIND_NOUNS = {
    Kind.COMPLAINT: _l("complaint"),
    Kind.COMPLIMENT: _l("thank you"),
    Kind.COMMENT: _l("message"),
    Kind.ADVOCACY_REQUEST: _l("request for an advocate"),
}

# The roles a person can choose for themselves (staff can also record "unknown").
ROLE_LABELS = {
    Role.YOUNG_PERSON: _l("I am the child or young person"),
    Role.PARENT: _l("Parent, or someone else with parental responsibility"),
    Role.STEP_PARENT: _l("Step-parent"),
    Role.ADOPTER: _l("Adoptive parent"),
    Role.FOSTER_CARER: _l("Foster carer"),
    Role.SPECIAL_GUARDIAN: _l("Special guardian"),
    Role.PROSPECTIVE_CARER: _l("Someone hoping to foster or adopt"),
    Role.GRANDPARENT: _l("Grandparent"),
    Role.SIBLING: _l("Brother or sister"),
    Role.OTHER_RELATIVE: _l("Another relative"),
    Role.ADVOCATE: _l("Advocate for the child or young person"),
    Role.PROFESSIONAL: _l("Professional, such as a teacher, nurse or doctor"),
    Role.MP_COUNCILLOR: _l("MP or councillor"),
    Role.OTHER: _l("Someone else"),
}
# The same roles as a staff member or a summary names them.
ROLE_NAMES = {
    **ROLE_LABELS,
    Role.YOUNG_PERSON: _l("Child or young person"),
    Role.ADVOCATE: _l("Advocate"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.UNKNOWN: _l("Not known"),
}

CHILD_STATUS_LABELS = {
    ChildStatus.CHILD_IN_CARE: _l("Lives in care (looked after by the council)"),
    ChildStatus.CARE_LEAVER: _l("Has left care (care leaver)"),
    ChildStatus.CHILD_IN_NEED: _l("Gets help as a child in need"),
    ChildStatus.CHILD_PROTECTION_PLAN: _l("Has a child protection plan"),
    ChildStatus.DISABLED: _l("Gets help because they are disabled"),
    ChildStatus.SEND_EHCP: _l(
        "Has special educational needs, or an education, health and care (EHC) plan"
    ),
    ChildStatus.DONT_KNOW: _l("I do not know"),
}

WHEN_LABELS = {
    WhenHappened.STILL_HAPPENING: _l("It is still happening"),
    WhenHappened.LAST_3_MONTHS: _l("In the last 3 months"),
    WhenHappened.FROM_3_TO_12_MONTHS: _l("Between 3 and 12 months ago"),
    WhenHappened.OVER_12_MONTHS: _l("More than 12 months ago"),
    WhenHappened.NOT_SURE: _l("I am not sure"),
}

OUTCOME_LABELS = {
    OutcomeSought.APOLOGY: _l("An apology"),
    OutcomeSought.EXPLANATION: _l("An explanation of what happened"),
    OutcomeSought.REQUEST_FULFILLED: _l("The help or service I asked for"),
    OutcomeSought.CHANGE_OF_WORKER: _l("A different worker"),
    OutcomeSought.MEETING: _l("A meeting to talk about it"),
    OutcomeSought.CHANGE_TO_CONTACT: _l("A change to contact or family time"),
    OutcomeSought.ASSESSMENT_REVIEW: _l("An assessment, or a review of one"),
    OutcomeSought.REMOVAL_OF_PLAN: _l("A plan to be ended or changed"),
    OutcomeSought.KEPT_INFORMED: _l("To be kept up to date and listened to"),
    OutcomeSought.POLICY_REVIEW: _l("A change to how things are done, so it does not happen again"),
    OutcomeSought.COMPENSATION: _l("Money to put things right"),
    OutcomeSought.OTHER: _l("Something else"),
    OutcomeSought.NOT_SPECIFIED: _l("I am not sure"),
}

REPLY_LABELS = {
    ReplyMethod.EMAIL: _l("Email"),
    ReplyMethod.TEXT_MESSAGE: _l("Text message"),
    ReplyMethod.PHONE: _l("Phone call"),
    ReplyMethod.LETTER: _l("Letter"),
    ReplyMethod.NONE: _l("I do not want a reply"),
}

ACCESS_NEED_LABELS = {
    AccessNeed.LARGE_PRINT: _l("Large print"),
    AccessNeed.EASY_READ: _l("Easy read"),
    AccessNeed.INTERPRETER: _l("An interpreter"),
    AccessNeed.BSL: _l("British Sign Language (BSL)"),
    AccessNeed.BRAILLE: _l("Braille"),
    AccessNeed.OTHER: _l("Something else"),
}

CONSENT_LABELS = {
    ChildConsent.YES: _l("Yes"),
    ChildConsent.NO: _l("No"),
    ChildConsent.UNABLE: _l("The child is not able to say"),
}

# Each language named in itself, as people look for their own.
LANGUAGE_NAMES = {
    "en": "English",
    "cy": "Cymraeg",
    "pl": "Polski",
    "ro": "Română",
    "pa": "ਪੰਜਾਬੀ",
    "ur": "اردو",
    "bn": "বাংলা",
    "ar": "العربية",
    "pt": "Português",
    "so": "Soomaali",
}


def language_name(code: str) -> str:
    """The language named in itself ("Polski"); the code if we have no name for it."""
    return LANGUAGE_NAMES.get(code, code)
