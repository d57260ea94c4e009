"""The Flask application factory `create_app`, and `serve()`, what gunicorn runs (Procfile):
the same app, loaded behind a light one that answers at once (`bot.starting`)."""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Any

from bot.config import Settings

if TYPE_CHECKING:
    from flask import Flask

    from handlers.router import Parser

log = logging.getLogger(__name__)


def serve() -> Any:
    """gunicorn's app (Procfile): healthy at once, the bot loaded and warmed in the background
    (`bot.starting`); the configuration and the schema are checked before it answers."""
    from bot.starting import Starting, warm_up

    settings = checked_settings(None)
    return Starting(settings, lambda: create_app(settings, checked=True, warm=warm_up))


def checked_settings(settings: Settings | None, **overrides: Any) -> Settings:
    """Configuration from the environment (or `settings`), refusing to start without the LINE
    secrets, the keys of personal data, or a database at the newest schema."""
    settings = (settings or Settings.from_env()).with_(**overrides) if overrides else (settings or Settings.from_env())
    settings.require_line()
    from bot.config import ConfigError
    from bot.db import schema_problem

    if problem := schema_problem(settings.database_url):
        raise ConfigError(problem)
    from models import pii

    pii.configure(settings.require_pii())  # refuses to start without the keys of personal data
    return settings


def create_app(settings: Settings | None = None, *, parser: Parser | None = None,
               start_sender: bool = True, checked: bool = False, warm: Any = None, **overrides: Any) -> Flask:
    """Build the app: configuration from the environment (or `settings`), refusing to start
    without the LINE secrets; webhook blueprint, /healthz, the event worker and sender.
    `warm(session_factory)`: called before the start-up objects are frozen (`serve`)."""
    from flask import Flask

    import handlers
    from bot import downloads, webhook
    from bot.web import auth, liff, security
    from bot.runtime import Runtime

    if not checked:
        settings = checked_settings(settings, **overrides)
    assert settings is not None
    handlers.load_all()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.signing_key
    app.config["OTOP_SETTINGS"] = settings
    runtime = Runtime(settings, parser if parser is not None else default_parser(), start_sender=start_sender)
    app.extensions["otop"] = runtime
    auth.init_app(app, settings)
    app.register_blueprint(downloads.bp)
    from bot.web import console

    console.init_app(app)
    security.init_security(app)
    liff.init_app(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    webhook.install(app, runtime)  # POST /callback answered before Flask (bot/webhook.py)
    if warm is not None:
        warm(runtime.factory)
    runtime.resume_unfinished()
    freeze_startup_objects()
    return app


_frozen = False


def freeze_startup_objects() -> None:
    """Move what start-up made (modules, the SDK's models, the gazetteer, the NLU model:
    some 330,000 objects) out of the garbage collector's sight, once per process. A full
    collection scanned them all: 150-250 ms during which no event was handled, the worst
    latency stalls the officer benchmark saw. Collections now scan what was made since."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


# Messages up to this long have their reading remembered (`default_parser`).
PARSE_CACHED_UP_TO = 80


def default_parser() -> Parser:
    """`nlu.parse`, warmed up. What a short message means in a given context (role, area,
    form, day: `handlers.router.ParseContext`, all of what the parser reads) is remembered,
    4,096 readings per process: menu words and the rich menu's texts come again and again,
    and reading one cost more than the rest of its handling. Each caller gets its own copy
    of the slots."""
    import copy
    import functools

    import nlu

    parse, context_type, intent_type = nlu.parse, nlu.Context, nlu.Intent
    nlu.warm_up()

    def read(text: str, ctx: Any) -> Any:
        return parse(text, context_type(ctx.role, ctx.province_code, ctx.district_code, ctx.flow, ctx.expecting, ctx.today))

    remembered = functools.lru_cache(maxsize=4096)(read)

    def adapted(text: str, ctx: Any) -> Any:
        if len(text) > PARSE_CACHED_UP_TO:
            return read(text, ctx)
        got = remembered(text, ctx)
        return intent_type(got.name, copy.deepcopy(got.slots) if got.slots else {}, got.confidence,
                           list(got.alternatives))

    return adapted
