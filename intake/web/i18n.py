"""Which language a page is shown in."""

from __future__ import annotations

from flask import current_app, request, session


def select_locale() -> str:
    """`?lang=` when given (and remembered), else the remembered choice, else the browser's."""
    offered = current_app.config["INTERFACE_LANGUAGES"]
    asked = request.args.get("lang")
    if asked in offered:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in offered:
        return remembered
    return request.accept_languages.best_match(offered) or offered[0]
