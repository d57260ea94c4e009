"""`python -m bot <command>`: one CLI. Commands live in bot/commands/, one module each,
and are discovered here, so adding a command touches no shared file."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


# Commands that migrate the database themselves (or do not use it) skip the schema check.
MIGRATING = {"db", "setup-demo", "chat", "demo-data"}
# Commands that need no key of personal data (every other one refuses to start without them).
NO_KEYS = {"new-key"}


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """OTOP Big Data LINE bot."""
    if ctx.invoked_subcommand == "chat" and not os.environ.get("PII_KEYS"):
        os.environ.setdefault("PII_DEV_KEYS", "1")  # the local chat: development keys unless real ones are set
    if ctx.invoked_subcommand and ctx.invoked_subcommand not in NO_KEYS and "--help" not in sys.argv:
        from bot.config import ConfigError, Settings
        from models import pii

        try:
            pii.configure(Settings.from_env().require_pii())
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc
    if ctx.invoked_subcommand and ctx.invoked_subcommand not in MIGRATING and "--help" not in sys.argv:
        from bot.config import Settings
        from bot.db import schema_problem

        problem = schema_problem(Settings.from_env().database_url)
        if problem:
            raise click.ClickException(problem)


def _register() -> None:
    from bot import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"bot.commands.{info.name}")
        for name in getattr(module, "COMMANDS", ()):
            cli.add_command(getattr(module, name))


def main() -> None:
    _register()
    cli()
