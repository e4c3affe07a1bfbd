"""Free text from the public, made safe to store and show as plain text.

People paste from emails and word processors, type in any script, and now and then
someone sends markup on purpose. We keep every word they meant and nothing else: tags are
stripped (bleach), control characters other than line breaks and tabs are dropped, line
endings become "\n", and the text is NFC-normalised so the same words always compare
equal. Emoji and right-to-left text are kept: they are what people wrote.
"""

from __future__ import annotations

import html
import re
import unicodedata

import bleach

# C0 and C1 control characters except tab and line feed; also the Unicode
# noncharacters and lone surrogates that some databases refuse outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n{3,}")
# Tags that break a line: stripped, they would run two words together ("line<br>break").
_LINE_BREAKS = re.compile(r"<br\s*/?>|</(p|div|li|tr|h[1-6])\s*>", re.IGNORECASE)

# The elements of HTML (and the few of SVG and MathML that can carry script). Only these
# are markup; any other "<" is writing: "x<y and y>z" keeps every word.
_HTML_ELEMENTS = (  # noqa: SIM905 - a word list reads better than 120 quoted strings
    "a abbr address area article aside audio b base bdi bdo blockquote body br button "
    "canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl "
    "dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 "
    "h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link "
    "main map mark marquee math menu meta meter nav noscript object ol optgroup option "
    "output p param picture pre progress q rp rt ruby s samp script search section select "
    "slot small source span strong style sub summary sup svg table tbody td template "
    "textarea tfoot th thead time title tr track u ul var video wbr xml xmp"
).split()
_NOT_MARKUP = re.compile(
    r"<(?!/?(?:" + "|".join(sorted(_HTML_ELEMENTS, key=len, reverse=True)) + r")\b|!)",
    re.IGNORECASE,
)


def plain_text(value: str | None) -> str:
    """Return `value` as plain text: no markup, no control characters, trimmed."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    # Stripping one tag can join the pieces of another ("<scr<script>ipt>"), so strip
    # until nothing changes: the result is then the same however often it is cleaned.
    # Every pass that changes the text shortens it, so this ends.
    while (cleaner := _strip_markup(text)) != text:
        text = cleaner
    text = unicodedata.normalize("NFC", text)
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def _strip_markup(text: str) -> str:
    text = _CONTROL.sub("", text)
    if "<" in text:
        text = _LINE_BREAKS.sub("\n", text)
        # An "&" the person typed is theirs, not the start of an HTML entity: escaping it
        # first means "&lt;" stays "&lt;" and cleaning twice changes nothing more. bleach
        # escapes what is left after stripping tags; we store text, not HTML, so that is
        # undone, and pages escape the text again, once, when they show it.
        escaped = _NOT_MARKUP.sub("&lt;", text.replace("&", "&amp;"))
        text = html.unescape(bleach.clean(escaped, tags=set(), strip=True, strip_comments=True))
        text = _CONTROL.sub("", text)
    return text


def one_line(value: str | None) -> str:
    """Plain text for a single-line answer (a name, a town): whitespace runs collapse."""
    return " ".join(plain_text(value).split())
