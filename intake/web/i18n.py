"""Which language a page is shown in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session

from forms.choices import language_name


def remember_language() -> None:
    """`?lang=` on any page, even one that only redirects, is remembered for the next."""
    asked = request.args.get("lang")
    if asked and asked in current_app.config["INTERFACE_LANGUAGES"]:
        session["lang"] = asked


def select_locale() -> str:
    """`?lang=` when given (and remembered), else the remembered choice, else the browser's."""
    offered = current_app.config["INTERFACE_LANGUAGES"]
    if not has_request_context():
        # A command (a report written to a file): the service's own language.
        return str(current_app.config.get("BABEL_DEFAULT_LOCALE", offered[0]))
    asked = request.args.get("lang")
    if asked in offered:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in offered:
        return remembered
    return request.accept_languages.best_match(offered) or offered[0]


def language_links(current: str) -> list[dict[str, Any]]:
    """The language switcher: every offered language, named in itself, linking to this
    same page (with its other query parameters) in that language."""
    # Staff pages are in English; a switcher there would also put the path (a case
    # reference) into a "not found" page, telling a denied case from a missing one.
    if not request or request.blueprint == "staff" or request.path.startswith("/staff"):
        return []
    others = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    links = []
    for code in current_app.config["INTERFACE_LANGUAGES"]:
        query = urlencode([*others, ("lang", code)])
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "href": f"{request.path}?{query}",
                "current": code == current,
            }
        )
    return links
