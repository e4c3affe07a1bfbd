"""Security headers on every response, and the nonce that lets our one inline script run.

The Content-Security-Policy allows scripts only from this service and, for GOV.UK
Frontend's one-line `js-enabled` script in the page template, by a nonce made fresh for
each response; no inline script, no inline style, nothing from elsewhere, and no framing.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

# Each directive says what the pages need, and nothing more.
_POLICY = (
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
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


def csp_nonce() -> str:
    """This response's nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def content_security_policy(nonce: str) -> str:
    return "; ".join(_POLICY).format(nonce=nonce)


def _add_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(_add_headers)
    # GOV.UK Frontend's page template reads `cspNonce` for its inline script.
    app.context_processor(lambda: {"cspNonce": csp_nonce(), "csp_nonce": csp_nonce})
