"""CLI commands: each module lists its click commands in COMMANDS."""
