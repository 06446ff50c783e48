"""Defaults. Every CLI option that has an environment variable names it in its --help:
LYTTER_DATABASE_URL, LYTTER_WORKSPACE, LYTTER_TIMEZONE, LYTTER_HOST, LYTTER_PORT."""

DEFAULT_DATABASE_URL = "sqlite:///lytter.sqlite"
DEMO_DATABASE_URL = "sqlite:///lytter-demo.sqlite"
