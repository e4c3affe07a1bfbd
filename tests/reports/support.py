"""Past cases in the CSV an old case system exports, imported through the real command."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from click.testing import Result
from flask import Flask

from intake.casework.imports import COLUMNS


def write_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    return path


def import_csv(app: Flask, path: Path, *options: str) -> Result:
    return app.test_cli_runner().invoke(args=["intake", "import-cases", str(path), *options])


def report(app: Flask, start: str, end: str, *options: str, output: str = "json") -> Any:
    result = app.test_cli_runner().invoke(
        args=["intake", "report", "--from", start, "--to", end, "--format", output, *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if output == "json" else result.stdout


def complaint(reference: str, received: str, **values: Any) -> dict[str, Any]:
    return {
        "reference": reference,
        "kind": "complaint",
        "procedure": "statutory",
        "received": received,
        "method": "email",
        "complainant_role": "parent",
        "team": "assessment",
        **values,
    }
