"""Database lifecycle: Alembic upgrade and the reference data it needs (places)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from models import District, Province, Subdistrict, make_engine, make_session_factory, unit_of_work
from registry import gazetteer

MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str, engine: Engine | None = None) -> None:
    """Bring the schema to the newest migration and load the gazetteer if it is not there."""
    ensure_sqlite_dir(url)
    engine = engine or make_engine(url)
    with engine.begin() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with unit_of_work(make_session_factory(engine)) as session:
        load_places(session)


def load_places(session: Session) -> int:
    """Insert GeoThai's provinces, districts and sub-districts (idempotent). Returns rows added."""
    have = session.scalar(select(func.count()).select_from(Subdistrict)) or 0
    if have >= len(gazetteer.all_subdistricts()):
        return 0
    known = set(session.scalars(select(Province.code))) | set(session.scalars(select(District.code)))
    known |= set(session.scalars(select(Subdistrict.code)))
    added = 0
    for p in gazetteer.provinces():
        if p.code not in known:
            session.add(Province(code=p.code, name_th=p.name_th, name_en=p.name_en))
            added += 1
    session.flush()
    for d in gazetteer.all_districts():
        if d.code not in known:
            session.add(District(code=d.code, province_code=d.parent_code, name_th=d.name_th, name_en=d.name_en))
            added += 1
    session.flush()
    import geothai

    postal = {s.code: (s.postal_codes[0] if s.postal_codes else None) for s in geothai_subdistricts(geothai)}
    rows = [
        {"code": s.code, "district_code": s.parent_code, "name_th": s.name_th, "name_en": s.name_en,
         "postal_code": postal.get(s.code)}
        for s in gazetteer.all_subdistricts()
        if s.code not in known
    ]
    if rows:
        session.execute(Subdistrict.__table__.insert(), rows)
    return added + len(rows)


def geothai_subdistricts(geothai):  # type: ignore[no-untyped-def]
    for p in geothai.provinces():
        for d in geothai.districts(p.code):
            yield from geothai.subdistricts(d.code)


def schema_problem(url: str) -> str | None:
    """Why the database at `url` cannot be used by this code (not migrated, or behind the
    newest migration), as a message saying what to run; None when it is current."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    if current == heads:
        return None
    where = ", ".join(sorted(current)) or "not migrated"
    return (f"The database {url} is not at the newest schema ({where}; this code needs "
            f"{', '.join(sorted(heads))}). Run `python -m bot db upgrade` first.")
