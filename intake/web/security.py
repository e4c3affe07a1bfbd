"""Security headers on every response.

The Content-Security-Policy allows scripts and styles only from this service's own files:
no inline script (GOV.UK Frontend's `js-enabled` line is a file, see page.html), no inline
style, nothing from elsewhere, and no framing.
"""

from __future__ import annotations

from flask import Flask, Response

# Each directive says what the pages need, and nothing more.
_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    # The GOV.UK template's icons and our charts are files or inline SVG.
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
)

HEADERS = {
    # A year; browsers ignore it over plain HTTP, so development on localhost is unhurt.
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    # A case page's address holds its reference: never tell another site where we were.
    # Our own pages do get it: behind HTTPS, Flask-WTF's CSRF check requires a same-site
    # Referer on every form post, and "no-referrer" made every form fail in production.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


CONTENT_SECURITY_POLICY = "; ".join(_POLICY)


def _add_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
