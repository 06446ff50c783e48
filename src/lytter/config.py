"""Settings from the environment (LYTTER_*) with sane defaults; flags override them."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///lytter.sqlite"
DEMO_DATABASE_URL = "sqlite:///lytter-demo.sqlite"


class Settings(BaseSettings):
    """Lytter's settings; each can be set as an environment variable, e.g. LYTTER_DATABASE_URL."""

    model_config = SettingsConfigDict(env_prefix="LYTTER_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    workspace: str = "default"
    timezone: str = "Europe/Copenhagen"
    host: str = "127.0.0.1"
    port: int = 8000
