"""Data layer: SQLAlchemy 2.x models, Alembic migrations, field encryption, blind index, audit chain, purge.

Imports config only; never kiosk or ui.
"""
