"""Accounts and roles: linking a LINE account to a producer or an officer's area."""
