"""registry package.

`registry.rollup` is imported with the package: its commit hook keeps the per-district counts
held in the database current in every process that writes the registry."""

from registry import rollup as _rollup  # noqa: F401  (installs the hook)
