"""Logs as one JSON object a line, for the machines that collect them.

What we log is chosen so that no line holds what a person wrote or who they are: ids,
references, counts and states only (see docs/threat-model.md). The formatter adds no
request data of its own, and drops an exception's message (which can quote the data it
failed on), keeping its type and where it happened.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

_MARK = "_intake_json"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, trace = record.exc_info
            entry["error"] = kind.__name__
            entry["where"] = "".join(traceback.format_tb(trace))[-2000:]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(style: str = "json", level: str = "INFO") -> None:
    """Send the service's logs to stderr, as JSON or as plain lines; safe to call twice."""
    root = logging.getLogger()
    if any(getattr(h, _MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    if style == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level.upper())
