"""Lytter: a self-hosted social listening and community-management workbench."""

__version__ = "0.1.0"
