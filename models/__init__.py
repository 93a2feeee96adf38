"""System of record: SQLAlchemy models and their pydantic schemas, one module per entity."""

from models.account import Account, ApiToken
from models.base import Base
from models.embedding import CachedEmbedding
from models.event import Event, EventSchedule, MeetingRecord
from models.impression import Impression
from models.outcome import Outcome
from models.provenance import RecordVersion, SupplierMerge
from models.requirement import LeadFirm, Requirement
from models.supplier import Supplier

__all__ = [
    "Account",
    "ApiToken",
    "Base",
    "CachedEmbedding",
    "Event",
    "EventSchedule",
    "Impression",
    "LeadFirm",
    "MeetingRecord",
    "Outcome",
    "RecordVersion",
    "Requirement",
    "Supplier",
    "SupplierMerge",
]
