"""Configuration: ``STORYWATCH_*`` environment variables, a ``.env`` file, CLI flags on top."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.partitions import Partitioning


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

DEFAULT_RETENTION_HOURS: dict[str, float] = {
    "articles": 1.0,
    "articles.unique": 1.0,
    "events": 24.0,
    "outcomes": 168.0,
    "alerts": 168.0,
}
"""How long an entry is kept after it arrived, per stream, if every group is done with it.
Article bodies (articles, articles.unique) are the bulk of the memory and are kept one
hour; dead-letter streams are never trimmed (``storywatch dlq`` empties them)."""


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
    api_host: str = Field(default="127.0.0.1", description="address of the API (intake, subscriptions, board) when api_port is set")
    api_port: int | None = Field(default=None, ge=0, description="serve the API on its own port; unset = on the metrics port")
    batch_size: int = Field(default=100, ge=1, le=10_000, description="entries per XREADGROUP (COUNT)")
    poll_interval_ms: int = Field(default=100, ge=1, description="XREADGROUP BLOCK time")
    linger_ms: int = Field(
        default=0, ge=0, le=1_000,
        description="worker processes: a batch read smaller than batch_size waits this long and takes in what arrived meanwhile (0: off); fewer, larger batches on a live feed, at the price of this wait in each stage",
    )
    claim_idle_ms: int = Field(default=30_000, ge=100, description="reclaim entries pending longer than this")
    heap_settle_interval_s: float = Field(
        default=1.0, ge=0, description="worker processes: seconds between moving long-lived objects out of the garbage collector's full passes (0: off; see storywatch.heap)"
    )
    heap_full_collect_s: float = Field(default=3600.0, gt=0, description="worker processes: seconds between full garbage collections of the whole heap")
    max_deliveries: int = Field(default=5, ge=1, description="dead-letter a message after this many deliveries")
    dedup_window_days: float = Field(default=7.0, gt=0)
    extract_budget_ms: float = Field(
        default=500.0, gt=0, description="per-article extraction time budget; past it the article goes on with the events found so far (counted)"
    )
    story_candidates_per_term: int = Field(default=8, ge=1, description="most recently active stories read per index term (participant pair, and place)")
    story_archive_after_days: float = Field(
        default=30.0, gt=0, description="archive a story after this long without a report (event time), counted from its scheduled date when that is later",
    )
    story_await_max_days: float = Field(
        default=400.0, ge=0, description="a story's scheduled date keeps it hot at most this long past its last report (a later date counts as this)",
    )
    story_compact_after_days: float = Field(
        default=14.0, gt=0, description="compact a story archived for longer than this: its claims go, status, sources and report count stay",
    )
    story_delete_after_days: float = Field(default=90.0, gt=0, description="delete a story archived for longer than this (after it was compacted)")
    fetch_private_pages: bool = Field(default=False, description="let feed items link to pages on loopback, private and link-local addresses")
    intake_enabled: bool = Field(default=True, description="serve POST /articles; false: off loopback without a token only /metrics, /health, /ready are served")
    durable: bool = Field(default=False, description="embedded server: appendfsync always (no loss window on power failure)")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING, ERROR or CRITICAL")
    log_json: bool = False
    retention_hours: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_RETENTION_HOURS),
        description="per stream: keep entries this many hours (never one a group still needs); JSON",
    )
    trim_interval_s: float = Field(default=60.0, gt=0, description="seconds between retention trims")
    api_token: SecretStr | None = Field(
        default=None,
        description="bearer token for /articles and /subscriptions (and the board unless board_public); required to bind beyond loopback",
    )
    board_public: bool = Field(default=True, description="serve the story board and /alerts/stream without the token")
    delivery_retry_base_s: float = Field(default=5.0, gt=0, description="first webhook retry after about this many seconds, doubling")
    delivery_retry_max_s: float = Field(default=3600.0, gt=0, description="longest wait between two webhook attempts")
    delivery_give_up_after_s: float = Field(default=86400.0, gt=0, description="dead-letter a webhook delivery still failing after this long")
    delivery_timeout_s: float = Field(default=10.0, gt=0, description="time a webhook target has to answer")
    delivery_concurrency: int = Field(default=8, ge=1, le=1000, description="requests in flight per subscription")
    partition_count: int = Field(
        default=1, ge=1, le=1024,
        description="partitions of every stage's streams (1 = the single-server layout); all workers and tools must agree",
    )
    redis_cluster: bool = Field(default=False, description="the Redis URL names a node of a Redis Cluster (needs partition_count > 1)")
    alert_policy: Path | None = Field(
        default=None,
        description="YAML file of the alert policy (when one report alerts, what waits for a second source); unset = the shipped consumers/alert_policy.yaml",
    )

    @property
    def partitioning(self) -> Partitioning:
        return Partitioning(self.partition_count)

    @model_validator(mode="after")
    def _delete_after_compact(self) -> Settings:
        if self.story_delete_after_days <= self.story_compact_after_days:
            raise ValueError(f"story_delete_after_days ({self.story_delete_after_days:g}) must be longer than story_compact_after_days ({self.story_compact_after_days:g})")
        return self

    @field_validator("alert_policy")
    @classmethod
    def _readable_policy(cls, value: Path | None) -> Path | None:
        """A bad policy file stops the service at start, naming the file and the field,
        instead of the track stage failing on its first batch."""
        if value is not None:
            from consumers.alert_policy import alert_policy

            try:
                alert_policy(value)
            except OSError as e:
                raise ValueError(f"alert policy {value}: {e.strerror or e}") from e
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown log level {value!r}; choose from {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("retention_hours")
    @classmethod
    def _known_streams(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(DEFAULT_RETENTION_HOURS))
        if unknown:
            raise ValueError(f"no retention for stream(s) {', '.join(unknown)}; streams are {', '.join(DEFAULT_RETENTION_HOURS)}")
        if any(hours < 0 for hours in value.values()):
            raise ValueError("retention hours must be >= 0")
        return DEFAULT_RETENTION_HOURS | value

    def api_token_value(self) -> str | None:
        return self.api_token.get_secret_value() if self.api_token else None

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
