"""schema.org ClaimReview for a published verdict: what search engines and fact-check tools read.

The claim reviewed is "<speaker> said <words>". When the desk rated the claim
on its configured scale (RATING_SCALE: key, label, ratingValue), the rating is
that one; otherwise it says how faithfully the words were reported, on a 1
(worst) to 5 (best) scale, with the verdict's label as ``alternateName``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from ..models import Quote, SpeakerKind, Verdict

BEST_RATING = 5
WORST_RATING = 1
RATING_VALUES = {
    Verdict.ACCURATE: 5,
    Verdict.ACCURATE_PARAPHRASE: 4,
    Verdict.DISPUTED: 3,
    Verdict.UNVERIFIED: 3,
    Verdict.UNSUPPORTED: 2,
    Verdict.OUT_OF_CONTEXT: 2,
    Verdict.MISQUOTED: 1,
    Verdict.MISATTRIBUTED: 1,
}


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    url: str


def claim_review(quote: Quote, *, url: str, article_url: str, organization: Organization,
                 rating_scale: Sequence[tuple[str, str, int]] = ()) -> dict[str, Any] | None:
    """The ClaimReview object for ``quote``, or None while its verdict is not published
    (and for words editors judged not a quote: no claim was made).

    ``url`` is the quote page; ``article_url`` where the words appeared (the
    original article when known, else its page here).
    """
    if not quote.status.is_public or quote.is_not_a_quote:
        return None
    article = quote.article
    claim: dict[str, Any] = {
        "@type": "Claim",
        "appearance": {
            "@type": "CreativeWork",
            "url": article_url,
            "headline": article.title,
        },
    }
    if article.outlet:
        claim["appearance"]["publisher"] = {"@type": "Organization", "name": article.outlet}
    said_at = article.published_at or article.created_at
    if said_at:
        claim["datePublished"] = said_at.date().isoformat()
    if quote.speaker is not None:
        kind = "Organization" if quote.speaker.kind is SpeakerKind.ORGANIZATION else "Person"
        author: dict[str, Any] = {"@type": kind, "name": quote.speaker.name}
        if quote.role and kind == "Person":
            author["jobTitle"] = quote.role
        claim["author"] = author
    rating = {
        "@type": "Rating",
        "ratingValue": RATING_VALUES[quote.verdict],
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": quote.verdict.label,
    }
    scale = {key: (label, value) for key, label, value in rating_scale}
    if quote.rating in scale:
        label, value = scale[quote.rating]
        values = [v for _, v in scale.values()]
        rating.update(ratingValue=value, bestRating=max(values), worstRating=min(values),
                      alternateName=f"{label} (quote: {quote.verdict.label.lower()})")
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": quote.text,
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": organization.name, "url": organization.url},
        "reviewRating": rating,
    }
    if quote.published_at:
        review["datePublished"] = quote.published_at.date().isoformat()
    return review
