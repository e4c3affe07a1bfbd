"""Case references in addresses, whatever an old system made them.

Imported references keep the old system's spelling ("COM/00001162", "IOW 17"); a "/"
would split the address, so it is written "~2F" (and "~" itself "~7E"). References the
service makes (CS-2026-00042) look the same either way.
"""

from __future__ import annotations

from urllib.parse import quote

from werkzeug.routing import BaseConverter


def reference_in_url(reference: str) -> str:
    escaped = reference.replace("~", "~7E").replace("/", "~2F")
    return quote(escaped, safe="~-._")


def reference_from_url(part: str) -> str:
    return part.replace("~2F", "/").replace("~7E", "~")


class ReferenceConverter(BaseConverter):
    def to_python(self, value: str) -> str:
        return reference_from_url(value)

    def to_url(self, value: str) -> str:
        return reference_in_url(value)
