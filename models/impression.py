"""Impressions: every ranked list shown (web, API, `match --log`), row by row, so outcomes can
be related to what was shown and a new ranker compared with the logged one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Impression(Base):
    """One supplier at one position of one list shown for one requirement."""

    __tablename__ = "impressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[str] = mapped_column(String(32), index=True)  # rows shown together share it
    requirement_id: Mapped[str] = mapped_column(ForeignKey("requirements.id"), index=True)
    supplier_id: Mapped[str] = mapped_column(String(64), index=True)
    position: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    ranker: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))  # web, api, cli
    viewer_role: Mapped[str | None] = mapped_column(String(20))
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)
