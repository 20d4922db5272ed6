"""Settings from the environment and a `.env` file. A missing or malformed setting stops
start-up with a message that names it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import available_timezones

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.limits import MONEY
from bot.handlers.context import CoreSettings


class ConfigError(Exception):
    pass


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    wowbot_database_url: str = "sqlite+aiosqlite:///wowbot.db"
    wowbot_admins: str = ""
    wowbot_default_timezone: str = "UTC"
    wowbot_max_gift_cost: Decimal = Field(default=Decimal("1000"), gt=0, le=MONEY)
    wowbot_digest_grace_hours: float = Field(default=6.0, ge=0, le=24)
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_type: str | None = None
    microsoft_app_tenant_id: str | None = None

    @field_validator("wowbot_default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown time zone {value!r}; use an IANA name like Europe/Helsinki")
        return value

    @field_validator("wowbot_database_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("use a sqlite:/// or postgresql:// URL")
        return value

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.wowbot_admins.split(",") if a.strip())

    def core(self) -> CoreSettings:
        return CoreSettings(
            default_timezone=self.wowbot_default_timezone,
            max_gift_cost=self.wowbot_max_gift_cost,
            admins=self.admins,
            digest_grace=dt.timedelta(hours=self.wowbot_digest_grace_hours),
        )


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise ConfigError(f"Bad configuration: {problems}") from None
