"""Configuration: ``STORYWATCH_*`` environment variables, a ``.env`` file, CLI flags on top."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STORYWATCH_", env_file=".env", extra="ignore")

    redis_url: SecretStr | None = Field(
        default=None,
        description="redis://[user:password@]host:port/db or rediss:// for TLS; empty = embedded server",
    )
    data_dir: Path = Field(default=Path(".storywatch"), description="embedded server's data (AOF on)")
    seeds_dir: Path = Path("seeds")
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 9108
    batch_size: int = Field(default=100, ge=1, le=10_000, description="entries per XREADGROUP (COUNT)")
    poll_interval_ms: int = Field(default=100, ge=1, description="XREADGROUP BLOCK time")
    claim_idle_ms: int = Field(default=30_000, ge=100, description="reclaim entries pending longer than this")
    max_deliveries: int = Field(default=5, ge=1, description="dead-letter a message after this many deliveries")
    dedup_window_days: float = Field(default=7.0, gt=0)
    story_candidates_per_term: int = Field(default=8, ge=1, description="most recently active stories read per actor and event family (and place)")
    story_archive_after_days: float = Field(default=30.0, gt=0, description="archive a story after this long without a report (event time)")
    log_level: str = "INFO"
    log_json: bool = False

    def redis_url_value(self) -> str | None:
        return self.redis_url.get_secret_value() if self.redis_url else None


def redact(url: str) -> str:
    """The URL with its password (in the userinfo or a ``password=`` query) replaced, for logs."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}"
    query = [(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*")))
