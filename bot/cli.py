"""`python -m bot <command>`: one CLI. Commands live in bot/commands/, one module each,
and are discovered here, so adding a command touches no shared file."""

from __future__ import annotations

import importlib
import os
import pkgutil

import click

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


@click.group()
def cli() -> None:
    """OTOP Big Data LINE bot."""


def _register() -> None:
    from bot import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"bot.commands.{info.name}")
        for name in getattr(module, "COMMANDS", ()):
            cli.add_command(getattr(module, name))


def main() -> None:
    _register()
    cli()
