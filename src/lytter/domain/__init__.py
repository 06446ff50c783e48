"""The nouns of Lytter as typed, frozen dataclasses; no database or HTTP in here."""
