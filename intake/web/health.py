"""/healthz: the process answers. /readyz: it can do its work (for the load balancer)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, Response, current_app, jsonify

from intake.casework.health import readiness
from intake.extensions import db
from intake.web.context import now

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    state = readiness(
        db.session,
        current_app.extensions["intake.migration_heads"],
        now(),
        timedelta(seconds=current_app.config["WORKER_HEARTBEAT_SECONDS"]),
    )
    return jsonify(state.as_dict()), 200 if state.ready else 503


def register(app: Flask, migrations: str) -> None:
    # The heads are read once: the migration files do not change while the app runs.
    script = ScriptDirectory(str(Path(migrations)))
    app.extensions["intake.migration_heads"] = frozenset(script.get_heads())
    app.register_blueprint(blueprint)
