"""Storage behind one Store interface, on SQLite (default) or PostgreSQL."""

from lytter.store.base import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
