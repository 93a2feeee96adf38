"""System of record: SQLAlchemy models and their pydantic schemas, one module per entity."""

from models.base import Base
from models.embedding import CachedEmbedding
from models.requirement import LeadFirm, Requirement
from models.supplier import Supplier

__all__ = ["Base", "CachedEmbedding", "LeadFirm", "Requirement", "Supplier"]
