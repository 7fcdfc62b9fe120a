"""One page of a query's results, with what the page links need."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Generic, Sequence, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")
MAX_PER_PAGE = 100
#: Page numbers past this are read as this: still beyond any table, and the offset
#: still fits the database's 64-bit integers (a larger one was a 500).
MAX_PAGE = 10**9


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, query: Select, *, page: int, per_page: int, total: int | None = None) -> Page:
    """Run ``query`` for one page (1-based); out-of-range pages come back empty.

    ``total``: the number of rows when the caller knows a cheaper way to count them.
    """
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    if total is None:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items, page, per_page, total)
