"""Read-only questions the public pages ask. Named after the question."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import Article, Quote, QuoteMatch, Speaker
from .pagination import Page, paginate


def articles_newest_first(session: Session, *, page: int, per_page: int) -> Page[Article]:
    query = select(Article).order_by(
        func.coalesce(Article.published_at, Article.created_at).desc(), Article.id.desc()
    )
    return paginate(session, query, page=page, per_page=per_page)


def quote_counts_for(session: Session, article_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Quote.article_id, func.count()).where(Quote.article_id.in_(article_ids))
        .group_by(Quote.article_id)
    )
    return dict(rows.all())


def article_with_quotes(session: Session, article_id: int) -> Article | None:
    return session.scalars(
        select(Article).where(Article.id == article_id).options(
            selectinload(Article.quotes).selectinload(Quote.segments),
            selectinload(Article.quotes).selectinload(Quote.speaker),
        )
    ).first()


def quotes_newest_first(session: Session, *, page: int, per_page: int) -> Page[Quote]:
    query = (
        select(Quote)
        .options(selectinload(Quote.speaker), selectinload(Quote.article))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    )
    return paginate(session, query, page=page, per_page=per_page)


def speakers_by_quote_count(session: Session, *, page: int, per_page: int) -> Page:
    """Live speakers with how many quotes each has, most quoted first."""
    count = func.count(Quote.id).label("quote_count")
    query = (
        select(Speaker, count)
        .outerjoin(Quote, Quote.speaker_id == Speaker.id)
        .where(Speaker.merged_into_id.is_(None))
        .group_by(Speaker.id)
        .order_by(count.desc(), Speaker.name)
    )
    page_ = max(1, page)
    total = session.scalar(
        select(func.count()).select_from(Speaker).where(Speaker.merged_into_id.is_(None))
    ) or 0
    rows = session.execute(query.limit(per_page).offset((page_ - 1) * per_page)).all()
    return Page(rows, page_, per_page, total)


def quotes_by_speaker(session: Session, speaker_id: int) -> list[Quote]:
    return session.scalars(
        select(Quote).where(Quote.speaker_id == speaker_id)
        .options(selectinload(Quote.article))
        .join(Article)
        .order_by(func.coalesce(Article.published_at, Article.created_at).desc(), Quote.id.desc())
    ).all()


def matches_of(session: Session, quote_id: int) -> tuple[list[QuoteMatch], list[QuoteMatch]]:
    """Matches with earlier quotes, and later quotes that matched this one."""
    earlier = session.scalars(
        select(QuoteMatch).where(QuoteMatch.quote_id == quote_id)
        .options(selectinload(QuoteMatch.earlier).selectinload(Quote.speaker))
        .order_by(QuoteMatch.score.desc())
    ).all()
    later = session.scalars(
        select(QuoteMatch).where(QuoteMatch.earlier_id == quote_id)
        .options(selectinload(QuoteMatch.quote).selectinload(Quote.speaker))
        .order_by(QuoteMatch.score.desc())
    ).all()
    return list(earlier), list(later)
