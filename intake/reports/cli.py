"""`flask intake report` and `flask intake import-cases`."""

from __future__ import annotations

import csv
import getpass
import os
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
    DEFAULT_TEAMS_FILE,
    RoutingConfigError,
    RoutingSettings,
    add_inactive_teams,
    load_routing,
)
from intake.extensions import db
from intake.reports.annual import build_report
from intake.reports.formats import csv_files, csv_zip
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


def _csv_destination(path: Path) -> str:
    """Where `--format csv --output PATH` writes: "zip" or "directory"."""
    if path.suffix.lower() == ".zip" and not path.is_dir():
        return "zip"
    if path.is_dir() or (not path.exists() and not path.suffix):
        return "directory"
    raise click.BadParameter(
        "for --format csv, give a directory (a file per section is written into it) "
        "or a file ending .zip",
        param_hint="--output",
    )


def _write_report(shown: dict, output: str, path: Path) -> str:
    """Write the report to `path`; what was written, for the message."""
    if output != "csv":
        path.write_text(render_report(shown, output), encoding="utf-8")
        return str(path)
    if _csv_destination(path) == "zip":
        path.write_bytes(csv_zip(shown))
        return f"{path} (a CSV file per section)"
    path.mkdir(parents=True, exist_ok=True)
    files = csv_files(shown)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return f"{path}/ ({len(files)} CSV files, one per section)"


@click.command("report")
@click.option("--from", "starts", required=True, help="First day, e.g. 2025-04-01.")
@click.option("--to", "ends", required=True, help="Last day, e.g. 2026-03-31.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["html", "json", "csv"]),
    default="html",
    show_default=True,
    help="csv: a tidy table per section; see --output.",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Hide every count under 5, and any figure that would give one away (as report "
    "viewers see it), for a report made public.",
)
@click.option(
    "--output",
    "path",
    type=click.Path(path_type=Path),
    help="Write here instead of printing. html and json: a file. csv: a directory (a "
    "file per section is written into it) or a file ending .zip (the same files, zipped).",
)
@with_appcontext
def report(starts: str, ends: str, output: str, publish: bool, path: Path | None) -> None:
    """The annual report's tables, with the previous period beside each figure.

    \b
    --format csv without --output prints every section's table one after another, each
    after a line "# 01-totals.csv: 1. Totals" and with its own header: for reading. To
    load the tables elsewhere, write them out with --output DIR or --output FILE.zip.
    """
    first, last = _day(starts, "--from"), _day(ends, "--to")
    if last < first:
        raise click.BadParameter("must be on or after --from", param_hint="--to")
    if path is not None:
        if output == "csv":
            _csv_destination(path)
        elif path.is_dir():
            raise click.BadParameter(
                f"{path} is a directory: give a file for --format {output}",
                param_hint="--output",
            )
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
    if path is None:
        click.echo(render_report(shown, output), nl=False)
        return
    try:
        written = _write_report(shown, output, path)
    except OSError as error:
        raise click.ClickException(
            f"{path} cannot be written: {error.strerror or error}"
        ) from error
    click.echo(f"Written to {written}.", err=True)


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


def _teams_file(create_teams: bool) -> Path | None:
    """The council's own teams file, which --create-teams adds to. Refused (exit 2,
    before anything is read) when there is none: the file that comes with the service
    is part of its code, and an upgrade would put the teams back the way they were."""
    if not create_teams:
        return None
    configured = current_app.config.get("TEAMS_CONFIG")
    if not configured or Path(configured).resolve() == DEFAULT_TEAMS_FILE.resolve():
        refusal = click.ClickException(
            "--create-teams adds teams to your own teams file, and TEAMS_CONFIG does not "
            "name one, so it would change the example file that comes with the service "
            f"({DEFAULT_TEAMS_FILE}). Copy that file somewhere of your own, set "
            "TEAMS_CONFIG to the copy's path, and run the import again. "
            "Nothing was imported."
        )
        refusal.exit_code = 2
        raise refusal
    path = Path(configured)
    # Found out before the import, not after its cases are in, wherever it can be.
    if not path.is_file() or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise click.ClickException(
            f"--create-teams cannot add teams to {path}: it is not a file this command "
            "may change (it and its directory must be writable). Nothing was imported."
        )
    try:
        load_routing(path, _settings())
    except RoutingConfigError as error:
        raise click.ClickException(
            f"--create-teams cannot add teams to the teams file: {error}\nNothing was imported."
        ) from error
    return path


def _progress_shown() -> bool:
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe
    (a log wants the result, not the bar's label)."""
    return sys.stderr.isatty()


@click.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-teams",
    is_flag=True,
    help="Add teams the file names that the configuration does not know to the teams file "
    "that TEAMS_CONFIG names, inactive for routing, once the cases are imported.",
)
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the good rows and write the bad ones to FILE.bad.csv (default: import nothing).",
)
@with_appcontext
def import_cases_command(file: Path, create_teams: bool, skip_bad: bool) -> None:
    """Import past cases from an old case system's CSV export (see docs/import.md).

    A progress bar shows while it works when run on a terminal.
    """
    teams_file = _teams_file(create_teams)
    settings = _settings()
    now = current_app.extensions["intake.clock"].now()
    total = _count_lines(file)
    hidden = not _progress_shown()
    today = local_date(now)

    try:
        with (
            file.open(encoding="utf-8-sig", newline="") as handle,
            click.progressbar(
                read_rows(handle),
                length=total,
                label="Checking",
                file=sys.stderr,
                hidden=hidden,
            ) as rows,
        ):
            check = check_file(
                rows, RowChecker(settings, _routing(), today=today, create_teams=create_teams)
            )
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
    try:
        with (
            file.open(encoding="utf-8-sig", newline="") as handle,
            click.progressbar(
                length=check.good, label="Importing", file=sys.stderr, hidden=hidden
            ) as bar,
        ):
            # The teams the check found are known to this pass as they will be to the
            # configuration; the teams file is written only once the cases are in.
            checker = RowChecker(
                settings,
                _routing(),
                today=today,
                create_teams=False,
                teams_to_add=check.new_teams,
            )
            result = import_cases(
                db.session,
                settings,
                good_rows(read_rows(handle), checker),
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
                "teams_added": sorted(check.new_teams.values()),
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
    if check.new_teams and teams_file is not None:
        _add_teams(teams_file, check.new_teams, on=today)


def _add_teams(path: Path, new_teams: dict[str, str], *, on: date) -> None:
    """Write the teams an import added, after its cases are committed: a failed import
    leaves the teams file as it was."""
    named = ", ".join(f"{name} ({key})" for name, key in new_teams.items())
    try:
        written = add_inactive_teams(path, new_teams, _routing(), on=on)
    except RoutingConfigError as error:
        # The cases are in and name these teams. Running the same import again adds no
        # case twice and writes the teams, once the file can be written.
        raise click.ClickException(
            f"The cases were imported, but the teams could not be added: {error}. Until "
            f"they are, the service shows their keys for these teams: {named}. Put that "
            "right and run the same import again (it adds no case twice, then writes the "
            "teams), or add them to the file by hand, inactive (active = false)."
        ) from error
    current_app.extensions["intake.routing"] = load_routing(written, _settings())
    click.echo(
        f"Added {len(new_teams)} teams to {written}, inactive for routing: {named}", err=True
    )


def _cases(count: int) -> str:
    return f"{count:,} case" if count == 1 else f"{count:,} cases"
