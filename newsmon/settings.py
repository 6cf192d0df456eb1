"""Settings from the environment (prefix ``NEWSMON_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_LEASE_MINUTES = 5.0  # a shorter lease lets a second sender take a digest the first is still sending


class Settings(BaseSettings):
    """newsmon's configuration. Every field can be set as ``NEWSMON_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="NEWSMON_", env_file=".env", extra="ignore")

    store_url: str = Field(
        "sqlite:///data/newsmon.db",
        description="sqlite:///path/to.db (embedded) or http://host:9200 (Elasticsearch)",
    )
    store_busy_timeout: float = Field(5.0, gt=0, le=120, description="Seconds a SQLite writer waits for a lock "
                                      "another writer holds before the request fails with 503 and Retry-After")
    sources_file: Path = Field(PROJECT_ROOT / "crawler" / "sources.yaml")
    story_window_days: int = Field(7, ge=1, le=60, description="How many days apart the articles of one story "
                                   "may be (the same event, case, announcement or document retold)")
    # The crawler's cheap pre-filter (accent-folded substrings, so no short word like "vợ"); nlp.relevance
    # decides on_topic afterwards. Gender-based violence is often crime news that names none of the first ones.
    topic_keywords: list[str] = Field(
        default_factory=lambda: [
            "bình đẳng giới", "bạo lực trên cơ sở giới", "bạo lực gia đình",
            "tháng hành động vì bình đẳng giới", "phụ nữ", "trẻ em gái", "vì sự tiến bộ của phụ nữ",
            "nữ giới", "lao động nữ", "thai sản", "hội lhpn", "cán bộ nữ", "tỷ lệ nữ", "tỉ lệ nữ", "đại biểu nữ",
            "nữ đại biểu", "giới tính", "lồng ghép giới", "lgbt", "tảo hôn",
            "hiếp dâm", "cưỡng hiếp", "hãm hiếp", "cưỡng dâm", "xâm hại", "dâm ô", "ấu dâm", "giao cấu",
            "quấy rối", "sàm sỡ", "mua bán người", "buôn bán người", "lừa bán", "bé gái", "nữ sinh",
            "bị bạo hành", "bạo hành vợ", "bạo hành trẻ", "sát hại vợ", "giết vợ", "đâm vợ", "chém vợ",
            "chồng đánh vợ", "bạn gái", "người tình",
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
    mail_outbox: Path | None = Field(None, description="Write every email as an .eml file into this folder "
                                     "instead of sending it (the demo, trials on one machine)")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str = Field("none", description="none, starttls or ssl")
    smtp_from: str = "newsmon <digest@newsmon.local>"
    smtp_ca_file: Path | None = Field(None, description="CA bundle that signs the SMTP server's certificate "
                                      "(default: the system's)")
    smtp_timeout: float = Field(30.0, gt=0, description="Seconds before an SMTP connection or command gives up")
    smtp_data_timeout: float = Field(600.0, gt=0, description="Seconds the server may take to accept a message "
                                     "once sent (RFC 5321 gives it 10 minutes); after that its fate is unknown")
    secret_key: SecretStr | None = Field(None, description="Signs unsubscribe links; unset: a random key is "
                                         "generated once and kept beside the store (newsmon.secrets)")
    secret_key_file: Path | None = Field(None, description="Where the generated key is kept (default: beside the "
                                         "store, <store>.secret_key)")
    public_url: str = Field("http://127.0.0.1:8000", description="The address readers open newsmon at; links in "
                            "emails point there, so digests are not sent until it is a public http(s) address")
    elasticsearch_url: str = Field("http://localhost:9200", description="What `--to elasticsearch` means")
    sqlite_url: str = Field("sqlite:///data/newsmon.db", description="What `--to sqlite` means")
    elastic_spool_path: Path = Field(
        Path("data/elastic_spool.db"),
        description="Where the Elasticsearch store keeps writes while the cluster is unreachable",
    )
    # Reaching an Elasticsearch cluster (newsmon/store/elastic/connection.py). NEWSMON_STORE_URL=http(s)://…
    # picks the engine and the index prefix; these say where the nodes are and who newsmon is to them.
    elastic_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="The cluster's nodes, comma-separated (https://es1:9200,https://es2:9200)"
        " or a JSON list; requests are spread over them and move on when one fails (default: the store URL's host)")
    elastic_cloud_id: str | None = Field(None, description="An Elastic Cloud deployment's Cloud ID, instead of hosts")
    elastic_api_key: SecretStr | None = Field(None, description="An API key: the encoded form Elasticsearch returns, "
                                              "or id:api_key")
    elastic_user: str | None = Field(None, description="Basic authentication user (instead of an API key)")
    elastic_password: SecretStr | None = Field(None, description="Basic authentication password")
    elastic_ca_certs: Path | None = Field(None, description="CA bundle (PEM) that signs the cluster's HTTP "
                                          "certificate (default: the system's CAs)")
    elastic_ssl_fingerprint: str | None = Field(None, description="SHA-256 fingerprint (hex) of the cluster's "
                                                "HTTP certificate or its CA, pinned instead of a CA bundle")
    elastic_verify_certs: bool = Field(True, description="Verify the cluster's certificate; false is insecure "
                                       "(logged as a warning) and only for a test cluster")
    elastic_request_timeout: float = Field(10.0, gt=0, le=600, description="Seconds one request may take")
    elastic_shards: int = Field(1, ge=1, le=1024, description="Primary shards of a new article index (one "
                                "holds tens of millions of articles; more spread indexing over more nodes)")
    elastic_replicas: int | None = Field(None, ge=0, le=16, description="Replicas of each shard; unset: 0 on one "
                                         "data node, 1 on more (index.auto_expand_replicas 0-1)")
    digest_weekday: int = Field(0, ge=0, le=6, description="Weekly digests cover the week ending on this day "
                                "(0 = Monday) at 00:00 Vietnam time")
    digest_hour: int = Field(7, ge=0, le=23, description="The service sends due digests from this hour, Vietnam time")
    digest_lease_minutes: float = Field(30.0, ge=MIN_LEASE_MINUTES, description="A digest claimed this long "
                                        "ago (on the real clock) by a sender that died is sent again; it must "
                                        "outlast one SMTP try (NEWSMON_SMTP_DATA_TIMEOUT + 4 × NEWSMON_SMTP_TIMEOUT)")
    digest_max_attempts: int = Field(5, ge=1, description="Runs that may try one digest before it is failed")
    # Subscribing from the web UI (api/pages/subscribe.py); counted in each server process's memory.
    signup_per_ip_hour: int = Field(5, ge=1, description="Subscribe requests one client address (IPv6: its /64) "
                                    "may send per hour from the web UI's form")
    signup_per_email_day: int = Field(3, ge=1, description="Confirmation emails one address may get per day")
    signup_emails_per_hour: int = Field(100, ge=1, description="Confirmation emails one server process sends "
                                        "per hour in all, whoever asks")

    @field_validator("elastic_cloud_id", "elastic_api_key", "elastic_user", "elastic_password", "elastic_ca_certs",
                     "elastic_ssl_fingerprint", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty variable (``NEWSMON_ELASTIC_USER=``) unsets a default, e.g. docker-compose's."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("elastic_hosts", mode="before")
    @classmethod
    def _hosts_list(cls, value: object) -> object:
        """A comma-separated string (or a JSON list) as a list of hosts."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [h.strip() for h in text.split(",") if h.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
