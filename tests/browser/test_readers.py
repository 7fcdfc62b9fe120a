"""What readers see, in a real browser: marked quotes, published verdicts, keyboard use, phones."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from factcheck.models import ReviewStatus, Verdict
from tests.browser.conftest import screenshot, sign_in
from tests.web import reader_data as data

pytestmark = pytest.mark.browser

PASTED = (
    "The harbour authority said on Monday that the ferry terminal would close for a month of repairs.\n\n"
    "\"Nobody will be stranded, because the night buses will run every twenty minutes,\" said Marta "
    "Lindqvist, the authority's chief executive.\n\n"
    "Commuters were not convinced. \"Twenty minutes at midnight in January is a long time,\" said Paul "
    "Ardent, who chairs the island residents' association."
)


@pytest.fixture(scope="module")
def published(live):
    """An article with one published verdict, one awaiting sign-off and one nobody has looked at."""

    def scene(session):
        halvorsen = data.speaker(session, "Ingrid Halvorsen")
        brennick = data.speaker(session, "Tomas Brennick")
        article = data.article(session, data.BRIDGE_TEXT, title="Council funds Harbour Bridge repairs",
                               url="https://courier.example/bridge")
        found = {
            "misquoted": data.quote(
                session, article, "We cannot keep patching a structure that carries forty thousand cars a day",
                by=halvorsen, role="mayor", verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED,
                note="The recording has her saying *thirty* thousand cars, not forty.",
                published_at=datetime(2026, 10, 3, 10, tzinfo=timezone.utc)),
            "draft": data.quote(session, article, "Nobody is against safety, but the council voted blind",
                                by=brennick, verdict=Verdict.ACCURATE, status=ReviewStatus.AWAITING_SIGNOFF,
                                note="Draft note for the desk"),
            "new": data.quote(session, article, "The corrosion is real"),
        }
        data.evidence(session, found["misquoted"], "https://council.example/recording", "Council recording",
                      "Minute 14: 'thirty thousand cars'.")
        ids = {name: quote.id for name, quote in found.items()}
        ids["article"] = article.id
        return ids

    return live.run(scene)


def label(chip) -> str:
    """The verdict label as shown (the colon after it is for screen readers only)."""
    return chip.inner_text().split("\n")[0].strip()


def only_local_requests(page, live):
    foreign = [url for url in page.requests if not url.startswith(live.url) and not url.startswith("data:")]
    assert foreign == [], f"third-party requests: {foreign}"


def test_paste_an_article_and_see_its_quotes_marked(page, live):
    sign_in(page, live, "rita")
    page.goto(live("/articles/new"))
    form = page.locator("form[action$='/articles/new/paste']")
    form.get_by_label("Title").fill("Ferry terminal to close for repairs")
    form.get_by_label("Article text").fill(PASTED)
    form.get_by_role("button", name="Add article").click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    marks = page.locator(".article-text a.q[id]")
    assert marks.count() >= 2, page.content()
    assert "night buses will run every twenty minutes" in marks.first.inner_text()
    assert label(page.locator(".article-text .q-chip").first) == "UNVERIFIED"   # a label, not colour alone
    screenshot(page, "article-pasted-desk-view")
    only_local_requests(page, live)
    assert page.errors == []


def test_reader_sees_the_published_verdict_on_the_article(page, live, published):
    page.goto(live(f"/articles/{published['article']}"))
    mark = page.locator(f"#q{published['misquoted']}")
    assert label(mark.locator(".q-chip")) == "MISQUOTED"
    assert "q-misquoted" in mark.get_attribute("class")
    draft = page.locator(f"#q{published['draft']}")
    assert label(draft.locator(".q-chip")) == "UNVERIFIED"      # not signed off: not shown
    assert "Draft note" not in page.content()

    card = page.locator(f"#qc{published['misquoted']}")
    assert not card.is_visible()
    mark.hover()
    card.wait_for(state="visible")
    assert "thirty thousand cars, not forty" in card.inner_text()
    screenshot(page, "article-reader-hover")
    card.get_by_role("link", name="Open the quote page").click()
    page.wait_for_url(live(f"/quotes/{published['misquoted']}"))
    only_local_requests(page, live)
    assert page.errors == []


def test_reader_sees_the_verdict_on_the_quote_page(page, live, published):
    page.goto(live(f"/quotes/{published['misquoted']}"))
    verdict = page.locator("#verdict-heading")
    assert "Misquoted" in verdict.inner_text()
    body = page.locator("main").inner_text()
    assert "Ingrid Halvorsen, mayor" in body
    assert "thirty thousand cars, not forty" in body and "Council recording" in body
    assert "Verdict published" in body
    claim = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert claim["@type"] == "ClaimReview" and claim["reviewRating"]["alternateName"] == "Misquoted"
    screenshot(page, "quote-page")
    page.goto(live(f"/quotes/{published['draft']}"))
    assert "has not published a verdict" in page.locator("main").inner_text()
    only_local_requests(page, live)
    assert page.errors == [], page.errors   # includes any Content-Security-Policy violation


def test_keyboard_only(page, live, published):
    """Tab reaches each quote mark in reading order, its note shows on focus, Enter opens the quote page."""
    page.goto(live(f"/articles/{published['article']}"))
    expected = [f"q{published[name]}" for name in ("misquoted", "draft", "new")]
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused in expected and focused not in reached:
            reached.append(focused)
            card = page.locator(f"#qc{focused[1:]}")
            assert card.is_visible(), f"the card of {focused} is hidden while it has focus"
            box = card.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1200
            if focused == expected[0]:
                assert "thirty thousand" in card.inner_text()
                screenshot(page, "article-keyboard-focus")
        if len(reached) == len(expected):
            break
    assert reached == expected
    page.keyboard.press("Escape")                       # dismissible without moving focus
    assert not page.locator(f"#qc{published['new']}").is_visible()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == expected[0]
    page.keyboard.press("Enter")
    page.wait_for_url(live(f"/quotes/{published['misquoted']}"))


def test_tap_on_a_phone(browser, live, published):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live(f"/articles/{published['article']}"))
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        mark = page.locator(f"#q{published['misquoted']}")
        mark.tap()                                       # first tap: the card, not a new page
        card = page.locator(f"#qc{published['misquoted']}")
        card.wait_for(state="visible")
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert page.url.endswith(f"/articles/{published['article']}")
        screenshot(page, "article-phone-tap")
        mark.tap()                                       # second tap: the quote page
        page.wait_for_url(live(f"/quotes/{published['misquoted']}"))
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        screenshot(page, "quote-page-phone")
    finally:
        context.close()


def test_search_page(page, live, published):
    page.goto(live("/search"))
    page.get_by_label("Words or speaker").fill("halvorsen cars")
    page.get_by_label("Sort").select_option("newest")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?"))
    results = page.locator(".results-list > li")
    assert results.count() == 1
    assert results.first.locator("mark").first.inner_text().lower() in ("halvorsen", "cars")
    screenshot(page, "search-results")
    page.get_by_label("From").fill("2026-12-01")
    page.get_by_label("To").fill("2026-01-01")
    page.get_by_role("button", name="Search").click()
    assert "The start date is after the end date." in page.locator("form").inner_text()
    assert page.get_by_label("Words or speaker").input_value() == "halvorsen cars"   # nothing typed is lost
    only_local_requests(page, live)


def test_embed_card_in_a_frame(page, live, published, http_server):
    """Another origin (a second loopback server, another port) frames the card."""
    from tests.httpserver import html

    card = live(f"/quotes/{published['misquoted']}/embed")
    http_server.routes["/a-blog-post"] = html(
        f'<!doctype html><title>A blog</title><p>Our readers asked:</p>'
        f'<iframe src="{card}" width="480" height="260" title="factcheck verdict"></iframe>')
    page.goto(http_server.url("/a-blog-post"))
    frame = page.frame_locator("iframe")
    assert frame.locator(".verdict").inner_text().lower() == "misquoted"
    assert "Full verdict and evidence" in frame.locator("body").inner_text()
    screenshot(page, "embed-card")
