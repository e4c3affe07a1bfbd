"""The web chat's one field: what the young person types."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from forms.base import QuestionForm
from forms.widgets import GovCount

# The chat keeps everything; one message in the browser is capped like a long text.
CHAT_MESSAGE_MAX = 5000


class ChatForm(QuestionForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[
            Length(
                max=CHAT_MESSAGE_MAX,
                message=_l("Your message must be 5,000 characters or fewer. Send it in parts."),
            )
        ],
        widget=GovCount(),
    )
