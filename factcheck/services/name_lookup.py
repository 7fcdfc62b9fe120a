"""Finding speakers by part of their name: one SQL condition, read from the name index.

The search filter, the review queue's filter and the speakers list all ask the same
question, "is each of these words somewhere in the name (or in an alias), in any
case?", and ask it here, so all of them use the index (see ``factcheck.name_index``).
"""

from __future__ import annotations

import re
from itertools import product
from typing import Iterable

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table, true, union_all
from sqlalchemy.orm import Session, aliased

from ..models import Speaker, SpeakerAlias
from ..name_index import ALIAS_SEPARATOR, TABLE

#: Trigrams find a substring of this many characters or more; a shorter word is checked row by row.
TRIGRAM = 3
# pg_trgm takes a LIKE pattern's trigrams from its runs of letters and digits only.
_PG_TRIGRAM = re.compile(r"[^\W_]{%d}" % TRIGRAM)

_INDEX = table(TABLE, column("rowid"))


def name_has_words(session: Session, words: Iterable[str], *, aliases: bool = False) -> ColumnElement[bool]:
    """SQL condition on Speaker: every word is part of the name (with ``aliases``: of the
    name or of one of the aliases, each word in either), in any case.

    A word is taken literally (``%``, ``_``, quotes and FTS operators are characters
    like any other) and may hold spaces: ``["brenn"]``, ``["tomas b"]``. Words of
    TRIGRAM characters or more (on PostgreSQL: letters and digits) are looked up in the
    index; a shorter one, which no trigram holds, is checked on each speaker the others
    leave (on every speaker, when alone).
    """
    words = [word for word in words if word]
    if not words:
        return true()
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        indexed = [word for word in words if len(word) >= TRIGRAM and ALIAS_SEPARATOR not in word]
    else:
        indexed = [word for word in words if _PG_TRIGRAM.search(word)]
    conditions = []
    if indexed:
        conditions.extend(_fts5_match(indexed, aliases) if sqlite else _trigram_likes(indexed, aliases))
    contains = _any_case_in if sqlite else _lowered_in
    for word in words:
        if word in indexed:
            continue
        found = contains(Speaker.name, word)
        if aliases:
            in_alias = select(SpeakerAlias.speaker_id).where(contains(SpeakerAlias.alias, word))
            # The few speakers the indexed words found: their own aliases, by key; else
            # (every speaker to check) all aliases, read once.
            found = found | (in_alias.where(SpeakerAlias.speaker_id == Speaker.id).exists() if indexed
                             else Speaker.id.in_(in_alias))
        conditions.append(found)
    return and_(*conditions)


def _fts5_match(words: list[str], aliases: bool) -> list[ColumnElement[bool]]:
    """The speakers the SQLite FTS5 trigram index finds with every word (it folds case beyond ASCII too)."""
    # Each word one quoted FTS5 string (inner quotes doubled): nothing typed is syntax.
    query = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
    query = query if aliases else f"name : ({query})"
    return [Speaker.id.in_(
        select(_INDEX.c.rowid).select_from(_INDEX).where(literal_column(TABLE).op("MATCH")(query)))]


def _trigram_likes(words: list[str], aliases: bool) -> list[ColumnElement[bool]]:
    """``lower(name) LIKE '%word%'``, which PostgreSQL's trigram indexes serve as they are.

    With aliases, each word's speakers are the union of two indexed lookups: an OR of the
    name's condition and an alias subquery would read every speaker again.
    """
    conditions = []
    for word in words:
        pattern = _contains(word.lower())
        if not aliases:
            conditions.append(func.lower(Speaker.name).like(pattern, escape="\\"))
            continue
        named = aliased(Speaker)
        conditions.append(Speaker.id.in_(union_all(
            select(named.id).where(func.lower(named.name).like(pattern, escape="\\")),
            select(SpeakerAlias.speaker_id).where(func.lower(SpeakerAlias.alias).like(pattern, escape="\\")),
        )))
    return conditions


def _lowered_in(column, word: str) -> ColumnElement[bool]:
    # Not a LIKE: PostgreSQL's trigram index cannot serve a short word, but a prepared
    # statement's generic plan would read all of it for one (slower than reading the table).
    return func.strpos(func.lower(column), word.lower()) > 0


def _any_case_in(column, word: str) -> ColumnElement[bool]:
    return or_(*(column.like(_contains(form), escape="\\") for form in _case_forms(word)))


def _contains(word: str) -> str:
    """A LIKE pattern (escape ``\\``) for the word anywhere."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _case_forms(word: str) -> list[str]:
    """The word with each letter beyond ASCII in each of its cases (SQLite's LIKE folds
    ASCII only): ``"żu"`` -> ``["żu", "Żu"]``. Only for short words: there are 2**n."""
    choices = [sorted({char, *(cased for cased in (char.lower(), char.upper()) if len(cased) == 1)})
               if not char.isascii() else [char] for char in word]
    return ["".join(form) for form in product(*choices)]
