"""The tables of migration 0001, one module per part of the domain (each with `create()` and
`drop()`), called by `versions/0001_initial_schema.py` in foreign-key order. Frozen like the
migration itself: later schema changes go in new migrations, never here."""
