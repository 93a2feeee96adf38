"""A workspace: the database, search index, encoder and scorer one configuration names.

The CLI, the API and the web pages all open one and call the same service functions on it.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from sqlalchemy.orm import sessionmaker
from threadpoolctl import threadpool_limits

from indexer.backends.base import SearchBackend, SearchEngineError
from indexer.encoders import CachedEncoder, load_encoder
from matchmaker.config import Settings
from matchmaker.errors import ConfigurationError
from matchmaker.matching.learned import MODEL_FILE, LearnedRanker
from matchmaker.matching.ranking import Scorer
from models.base import make_engine, migrate, session_factory


class Workspace:
    """Everything a service function needs, created lazily (the encoder loads on first use)."""

    def __init__(self, settings: Settings):
        # The encoder's OpenMP threads and OpenBLAS's spinning workers fight over few cores
        # (measured: query encoding 18 ms alone, 45 ms p50 / 113 ms p95 beside BLAS threads);
        # vector products here are memory-bound, so one BLAS thread costs nothing.
        threadpool_limits(limits=1, user_api="blas")
        self.index_checked = False  # see matching.ensure_index
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.database_url)
        migrate(self.engine)
        self.sessions: sessionmaker = session_factory(self.engine)

    @classmethod
    def from_env(cls) -> Workspace:
        return cls(Settings.from_env())

    @classmethod
    def at(cls, data_dir: Path, database_url: str | None = None) -> Workspace:
        """A workspace in `data_dir`, its database a SQLite file there unless a URL is given."""
        return cls(
            Settings(
                data_dir=data_dir, database_url=database_url or f"sqlite:///{data_dir / 'matchmaker.db'}"
            )
        )

    @cached_property
    def encoder(self) -> CachedEncoder:
        try:
            encoder = load_encoder(self.settings.embedding_model)
        except (ValueError, ImportError) as exc:
            raise ConfigurationError(f"MATCHMAKER_EMBEDDING_MODEL: {exc}") from exc
        return CachedEncoder(encoder, self.sessions)

    @cached_property
    def backend(self) -> SearchBackend:
        name = self.settings.search_backend
        if name == "embedded":
            from indexer.backends.embedded import EmbeddedBackend

            try:
                return EmbeddedBackend(self.settings.index_dir, self.encoder.dim)
            except ValueError as exc:
                raise ConfigurationError(str(exc)) from exc
        if name == "elasticsearch":
            if not self.settings.es_url:
                raise ConfigurationError("MATCHMAKER_SEARCH_BACKEND=elasticsearch needs MATCHMAKER_ES_URL")
            try:
                import elasticsearch  # noqa: F401  (the optional client)
            except ImportError as exc:
                raise ConfigurationError(
                    f"the elasticsearch backend needs its client: pip install '.[elasticsearch]' ({exc})"
                ) from exc
            from indexer.backends.elastic import ElasticsearchBackend

            try:
                settings = self.settings
                return ElasticsearchBackend(
                    settings.es_url,
                    self.encoder.dim,
                    settings.es_index_prefix,
                    shards=settings.es_shards,
                    replicas=settings.es_replicas,
                )
            except SearchEngineError as exc:
                raise ConfigurationError(str(exc)) from exc
        raise ConfigurationError(
            f"MATCHMAKER_SEARCH_BACKEND must be 'embedded' or 'elasticsearch', not {name!r}"
        )

    @cached_property
    def scorer(self) -> Scorer:
        """The hand-set scorer, or the learned one once `matchmaker ranker train` adopted it."""
        learned = LearnedRanker.load(self.settings.data_dir / MODEL_FILE)
        return Scorer(self.encoder.similarity_range, learned=learned, centroids=self.encoder.centroids)

    def close(self) -> None:
        self.engine.dispose()
