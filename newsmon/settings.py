"""Settings from the environment (prefix ``NEWSMON_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """newsmon's configuration. Every field can be set as ``NEWSMON_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NEWSMON_", env_file=".env", extra="ignore")

    store_url: str = Field(
        "sqlite:///data/newsmon.db",
        description="sqlite:///path/to.db (embedded) or http://host:9200 (Elasticsearch)",
    )
    sources_file: Path = Field(PROJECT_ROOT / "crawler" / "sources.yaml")
    topic_keywords: list[str] = Field(
        default_factory=lambda: [
            "bình đẳng giới", "bạo lực trên cơ sở giới", "bạo lực gia đình",
            "tháng hành động vì bình đẳng giới", "phụ nữ", "trẻ em gái", "vì sự tiến bộ của phụ nữ",
        ],
        description="Articles mentioning none of these are skipped before NLP.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: list[SecretStr] = Field(default_factory=list, description="Keys for write/admin endpoints")
    cors_origins: list[str] = Field(default_factory=list)
    ui_language: str = "vi"
    max_page_size: int = 100
    crawl_max_pages: int = 0  # 0 means no limit
    crawl_http_cache_dir: Path | None = None
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str = Field("none", description="none, starttls or ssl")
    smtp_from: str = "newsmon <digest@newsmon.local>"
    secret_key: SecretStr = SecretStr("change-me")
    public_url: str = "http://127.0.0.1:8000"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
