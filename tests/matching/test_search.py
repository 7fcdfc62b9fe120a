"""Planning candidate searches: which terms a quote is indexed and looked up under."""

from factcheck.matching.search import (
    INDEX_TERMS, POSTINGS_BUDGET, SINGLE_WINDOW, index_terms, plan_query, quote_terms,
)
from factcheck.matching.text import term_hash, words


def test_quote_terms_are_content_words_and_word_pairs():
    terms = quote_terms(words("She had said it"))
    assert term_hash("she") not in terms          # a function word alone is no term
    assert len([t for t in terms if t < 0]) == 3  # three adjacent pairs


def test_index_terms_keep_the_rarest():
    terms = list(range(INDEX_TERMS + 10))
    frequencies = {t: 1000 - t for t in terms}  # higher id, rarer
    assert set(index_terms(terms, frequencies)) == set(terms[10:])
    assert index_terms(terms[:3], frequencies) == tuple(terms[:3])


def test_plan_skips_unknown_words_and_prefers_rare_ones():
    tokens = words("the pipeline doubles exports to hungary")
    frequencies = {t: 5 for t in quote_terms(tokens)}
    frequencies[term_hash("pipeline")] = 0  # nobody said it before: cannot find anything
    plan = plan_query(tokens, frequencies)
    assert term_hash("pipeline") not in {p.term for p in plan}
    assert plan and all(p.weight > 0 for p in plan)


def test_plan_stays_within_the_postings_budget():
    tokens = words("alpha beta gamma delta epsilon zeta eta theta")
    frequencies = {t: POSTINGS_BUDGET // 3 for t in quote_terms(tokens)}
    plan = plan_query(tokens, frequencies)
    assert sum(frequencies[p.term] for p in plan) <= POSTINGS_BUDGET


def test_a_query_of_only_everywhere_words_looks_nothing_up():
    tokens = words("people country government")
    frequencies = {t: POSTINGS_BUDGET * 10 for t in quote_terms(tokens)}
    assert plan_query(tokens, frequencies) == []


def test_long_texts_are_looked_up_window_by_window():
    quote = words("the pipeline will double exports to hungary by the end of the decade")
    padding = words("filler " * 200)
    tokens = padding[:100] + quote + padding[100:]
    frequencies = {t: 2 for t in quote_terms(tokens)}
    frequencies.update({t: 50 for t in quote_terms(padding)})
    assert len(tokens) > SINGLE_WINDOW
    looked_up = {p.term for p in plan_query(tokens, frequencies)}
    assert term_hash("hungary") in looked_up and term_hash("pipeline") in looked_up


def test_a_ten_thousand_word_text_is_planned_quickly():
    tokens = words(" ".join(f"word{i % 3000}" for i in range(10_000)))
    frequencies = {t: 3 for t in quote_terms(tokens)}
    plan = plan_query(tokens, frequencies)
    assert 0 < sum(frequencies[p.term] for p in plan) <= 2 * POSTINGS_BUDGET
