"""`flask intake report` and `flask intake import-cases`."""

from __future__ import annotations

import csv
import getpass
import sys
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from intake.casework.audit import record_audit
from intake.casework.calendar import local_date
from intake.casework.council import CouncilSettings
from intake.casework.imports import (
    COLUMNS,
    ImportCheck,
    ImportFileError,
    RowChecker,
    check_file,
    good_rows,
    import_cases,
    read_rows,
)
from intake.casework.routing import (
    RoutingConfigError,
    RoutingSettings,
    add_inactive_teams,
    load_routing,
)
from intake.extensions import db
from intake.reports.annual import build_report
from intake.reports.periods import Period
from intake.reports.render import render_report
from intake.reports.small_numbers import for_reader


def _settings() -> CouncilSettings:
    return current_app.extensions["intake.council"]


def _routing() -> RoutingSettings:
    return current_app.extensions["intake.routing"]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2025-04-01", param_hint=name
        ) from None


@click.command("report")
@click.option("--from", "starts", required=True, help="First day, e.g. 2025-04-01.")
@click.option("--to", "ends", required=True, help="Last day, e.g. 2026-03-31.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["html", "json", "csv"]),
    default="html",
    show_default=True,
)
@click.option(
    "--publish",
    is_flag=True,
    help="Hide every count under 5 (as report viewers see it), for a report made public.",
)
@click.option(
    "--output", "path", type=click.Path(dir_okay=False, writable=True), help="Write here."
)
@with_appcontext
def report(starts: str, ends: str, output: str, publish: bool, path: str | None) -> None:
    """The annual report's tables, with the previous period beside each figure."""
    first, last = _day(starts, "--from"), _day(ends, "--to")
    if last < first:
        raise click.BadParameter("must be on or after --from", param_hint="--to")
    routing = _routing()
    figures = build_report(
        db.session, _settings(), {t.key: t.name for t in routing.teams}, Period(first, last)
    )
    shown = for_reader(figures, sees_cases=not publish)
    record_audit(
        db.session,
        actor=_actor(),
        action="report",
        detail={"from": first.isoformat(), "to": last.isoformat(), "format": output},
    )
    db.session.commit()
    text = render_report(shown, output)
    if path:
        Path(path).write_text(text, encoding="utf-8")
        click.echo(f"Written to {path}.", err=True)
    else:
        click.echo(text, nl=False)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return max(sum(1 for _line in handle) - 1, 0)


def _write_bad_rows(check: ImportCheck, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "problems", *COLUMNS])
        for bad in check.bad:
            writer.writerow(
                [bad.line, "; ".join(bad.problems), *(bad.values.get(c, "") for c in COLUMNS)]
            )


@click.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-teams",
    is_flag=True,
    help="Add teams the file names that the configuration does not know (inactive for routing).",
)
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the good rows and write the bad ones to FILE.bad.csv (default: import nothing).",
)
@with_appcontext
def import_cases_command(file: Path, create_teams: bool, skip_bad: bool) -> None:
    """Import past cases from an old case system's CSV export (see docs/import.md)."""
    settings = _settings()
    now = current_app.extensions["intake.clock"].now()
    total = _count_lines(file)

    def checker() -> RowChecker:
        return RowChecker(settings, _routing(), today=local_date(now), create_teams=create_teams)

    try:
        with (
            file.open(encoding="utf-8-sig", newline="") as handle,
            click.progressbar(
                read_rows(handle),
                length=total,
                label="Checking",
                file=sys.stderr,
            ) as rows,
        ):
            check = check_file(rows, checker())
    except ImportFileError as error:
        raise click.ClickException(f"{file}: {error}") from error
    for bad in check.bad[:50]:
        click.echo(f"Line {bad.line}: {'; '.join(bad.problems)}", err=True)
    if len(check.bad) > 50:
        click.echo(f"... and {len(check.bad) - 50} more bad rows.", err=True)
    if check.bad and not skip_bad:
        raise click.ClickException(
            f"{len(check.bad)} of {check.rows} rows are bad, so nothing was imported. "
            "Correct them, or import the good rows with --skip-bad."
        )
    if check.bad:
        bad_file = file.with_name(f"{file.stem}.bad.csv")
        _write_bad_rows(check, bad_file)
        click.echo(f"The {len(check.bad)} bad rows are in {bad_file}.", err=True)
    if check.new_teams:
        configured = current_app.config.get("TEAMS_CONFIG")
        try:
            written = add_inactive_teams(
                Path(configured) if configured else None,
                check.new_teams,
                _routing(),
                on=local_date(now),
            )
        except RoutingConfigError as error:
            raise click.ClickException(f"{error}. Nothing was imported.") from error
        current_app.extensions["intake.routing"] = load_routing(written, settings)
        click.echo(
            f"Added {len(check.new_teams)} teams to {written}, inactive for routing: "
            + ", ".join(f"{name} ({key})" for name, key in check.new_teams.items()),
            err=True,
        )
    try:
        with (
            file.open(encoding="utf-8-sig", newline="") as handle,
            click.progressbar(length=check.good, label="Importing", file=sys.stderr) as bar,
        ):
            result = import_cases(
                db.session,
                settings,
                good_rows(read_rows(handle), checker()),
                actor=_actor(),
                now=now,
                source=file.name,
                progress=bar.update,
            )
        record_audit(
            db.session,
            actor=_actor(),
            action="imported",
            detail={
                "file": file.name,
                "imported": result.imported,
                "already_here": result.already_here,
                "bad": len(check.bad),
            },
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"Imported {_cases(result.imported)} from {file.name}; "
        f"{result.already_here} were here already and were left as they are."
    )
    if result.open_cases:
        click.echo(
            f"Still open: {_cases(result.open_cases)}, {result.past_a_deadline} of them past "
            "a deadline (their team's manager is told once, as for any case)."
        )


def _cases(count: int) -> str:
    return f"{count:,} case" if count == 1 else f"{count:,} cases"
