"""Search engines behind one interface: `embedded` (one machine) and, later, `elasticsearch`."""

from indexer.backends.base import Candidate, Query, SearchBackend, StoredDocument

__all__ = ["Candidate", "Query", "SearchBackend", "StoredDocument"]
