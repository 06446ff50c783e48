"""Alembic migrations for the Lytter schema (run on SQLite and PostgreSQL alike)."""
