"""How many text message segments a message costs (3GPP TS 23.038).

A message in the GSM 7-bit alphabet fits 160 characters in one segment, or 153 per
segment when split; any other character (a curly quote, an emoji, a Welsh ŵ) makes the
whole message UCS-2: 70 in one segment, 67 per segment when split, counted in UTF-16
code units. Characters from the extension table (such as € and [) take two places.
"""

from __future__ import annotations

from math import ceil

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENSION for c in text)


def segments(text: str) -> int:
    """The number of segments `text` is sent as (0 for an empty message)."""
    if not text:
        return 0
    if is_gsm(text):
        septets = sum(2 if c in GSM_EXTENSION else 1 for c in text)
        return 1 if septets <= 160 else ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else ceil(units / 67)
