"""`python -m lytter` runs the CLI."""

from lytter.cli.main import run

run()
