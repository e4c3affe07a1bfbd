"""A PostgreSQL schema of the bench's own, made empty: a bench never touches anything
else in the database it is given."""

from __future__ import annotations

import sqlalchemy as sa


def own_schema(url: str, schema: str) -> str:
    """`url` pointed at `schema` (dropped and made again, empty)."""
    parsed = sa.make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    admin = sa.create_engine(parsed)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    own = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    return own.render_as_string(hide_password=False)
