"""The Flask application factory (gunicorn: `bot.app:create_app()`)."""

from __future__ import annotations

import gc
import logging
from typing import Any

from flask import Flask

from bot.config import Settings
from handlers.router import Parser

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, parser: Parser | None = None,
               start_sender: bool = True, **overrides: Any) -> Flask:
    """Build the app: configuration from the environment (or `settings`), refusing to start
    without the LINE secrets; webhook blueprint, /healthz, the event worker and sender."""
    import handlers
    from bot import downloads, webhook
    from bot.web import auth, liff, security
    from bot.runtime import Runtime

    settings = (settings or Settings.from_env()).with_(**overrides) if overrides else (settings or Settings.from_env())
    settings.require_line()
    from bot.config import ConfigError
    from bot.db import schema_problem

    if problem := schema_problem(settings.database_url):
        raise ConfigError(problem)
    from models import pii

    pii.configure(settings.require_pii())  # refuses to start without the keys of personal data
    handlers.load_all()
    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.signing_key
    app.config["OTOP_SETTINGS"] = settings
    runtime = Runtime(settings, parser if parser is not None else default_parser(), start_sender=start_sender)
    app.extensions["otop"] = runtime
    app.register_blueprint(webhook.bp)
    auth.init_app(app, settings)
    app.register_blueprint(downloads.bp)
    from bot.web import console

    console.init_app(app)
    security.init_security(app)
    liff.init_app(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

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


def default_parser() -> Parser:
    """`nlu.parse`, warmed up."""
    import nlu

    parse, context_type = nlu.parse, nlu.Context
    nlu.warm_up()

    def adapted(text: str, ctx: Any) -> Any:
        return parse(text, context_type(ctx.role, ctx.province_code, ctx.district_code, ctx.flow, ctx.expecting, ctx.today))

    return adapted
