"""Quote matching, pure: normalising, scoring with rapidfuzz, naming relations,
word-level diffs, and planning candidate searches (storage lives in services).

>>> from factcheck.matching import Prepared, compare
>>> compare(Prepared.of("Taxes will rise by 5 percent next year"),
...         Prepared.of("Taxes will rise by 7 percent next year")).relation
'variant'
"""

from .diff import DiffOp, word_diff
from .scoring import PairScore, Prepared, compare, rank
from .search import CandidateSearch, SearchTerm, plan_query
from .text import normalise, words

__all__ = [
    "CandidateSearch", "DiffOp", "PairScore", "Prepared", "SearchTerm", "compare",
    "normalise", "plan_query", "rank", "word_diff", "words",
]
