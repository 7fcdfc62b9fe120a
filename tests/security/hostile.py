"""Hostile data: script and markup in every field a page shows, and every GET route to show it on."""

from __future__ import annotations

import re

from factcheck.models import (
    Evidence,
    Job,
    JobState,
    ReviewEvent,
    ReviewStatus,
    SpeakerAlias,
    User,
    Verdict,
)
from tests.review_data import match, quote

# Each would set window.__pwned (or the page title) if it ever ran.
SCRIPT = '<script>window.__pwned=1;document.title="pwned"</script>'
IMAGE = '<img src=x onerror="window.__pwned=2">'
BREAKOUT = '"><svg onload="window.__pwned=3">'
PAYLOAD = f"{SCRIPT}{IMAGE}{BREAKOUT}"
# What must never reach a page unescaped (the JSON API is not HTML and carries them as data).
RAW_MARKERS = ("<script>window", "<img src=x", "<svg onload")
MARKDOWN_NOTE = (f"Checked. {SCRIPT}\n\n[see the recording](javascript:window.__pwned=5) "
                 f"![x](javascript:window.__pwned=6) <a href=\"javascript:window.__pwned=7\">x</a> {IMAGE}")
SPEAKER = f"Evil {SCRIPT} Person"


def seed(session) -> dict[str, int]:
    """Hostile text in articles, quotes, speakers, notes, evidence, history and jobs; returns ids."""
    published = quote(session, f"We never said {PAYLOAD} at all", by=SPEAKER,
                      status=ReviewStatus.PUBLISHED, verdict=Verdict.MISQUOTED, title=f"Title {PAYLOAD}")
    published.public_note = MARKDOWN_NOTE
    published.internal_note = f"Internal {PAYLOAD}"
    published.rating = "false"
    article = published.article
    article.outlet = f"Outlet {BREAKOUT}"
    article.authors = f"Authors {IMAGE}"
    article.url = f'https://example.com/a?x="><script>window.__pwned=4</script>'
    article.text = article.text + f"\n\nMore text {PAYLOAD}."
    later = quote(session, f"We never said {PAYLOAD} at all", by="Ana Fontaine")
    match(session, later, published, misattribution=True)
    speaker = published.speaker
    session.add(SpeakerAlias(speaker=speaker, alias=f"Alias {IMAGE}", key="alias x"))
    admin = session.query(User).filter_by(username="ada").one()
    session.add(Evidence(quote=published, url='https://example.com/e?"><script>window.__pwned=8</script>',
                         title=f"Evidence {PAYLOAD}", shows=f"Shows {PAYLOAD}", added_by=admin,
                         archive_url="https://archive.example/x"))
    session.add(ReviewEvent(quote=published, user=admin, field="note", from_value=PAYLOAD,
                            to_value=PAYLOAD, note=f"Because {PAYLOAD}"))
    job = Job(kind="fetch_url", payload={"url": f"https://example.com/{PAYLOAD}"}, state=JobState.FAILED,
              error=f"Fetch failed: {PAYLOAD}", user_id=admin.id)
    session.add(job)
    session.flush()
    return {"article_id": article.id, "quote_id": published.id, "speaker_id": speaker.id,
            "job_id": job.id, "later_id": later.id}


# Values for route arguments that name no seeded record.
OTHER_ARGUMENTS = {"suggestion_id": 1, "evidence_id": 1, "alias_id": 1, "event_id": 1,
                   "source_id": 1, "filename": "style.css"}


def get_urls(app, ids: dict[str, int]) -> list[str]:
    """One URL for every GET route of the app (a route with an unknown argument fails loudly)."""
    found = []
    values = {**OTHER_ARGUMENTS, **ids}
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            missing = rule.arguments - values.keys()
            assert not missing, f"give {rule.endpoint} a sample value for {sorted(missing)} in hostile.py"
            path = rule.rule
            for name in rule.arguments:
                path = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(values[name]), path)
            found.append(path)
    return found
