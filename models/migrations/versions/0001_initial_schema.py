"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 09:51:34.892046

The tables are created by the parts in `models/migrations/initial_schema/`, one per part of
the domain, in foreign-key order (each part only references the parts before it).
"""
from models.migrations.initial_schema import accounts, chuanchim, gazetteer, plumbing, producers, products, workflow

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

PARTS = (plumbing, gazetteer, producers, chuanchim, accounts, products, workflow)


def upgrade() -> None:
    for part in PARTS:
        part.create()


def downgrade() -> None:
    for part in reversed(PARTS):
        part.drop()
