"""The attribution check by keyboard alone, in headless Chromium."""

from __future__ import annotations

import re

import pytest

from factcheck.models import AttributionState, Quote
from tests import attribution_data as data
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

OTHER = """Tram Depot Plans Revised

"The depot will not be moved," said Councillor Maria Jensen.

Residents called it "a relief" after the meeting.

"We will watch the budget," one of them said, and "closely" was the word another used."""


@pytest.fixture(scope="module")
def scene(live):
    """The FERRY quotes and four more: the list keeps at least three after the first test."""

    def build(session):
        quotes = data.ferry(session)
        other = data.article(session, OTHER, title="Tram depot")
        quotes["depot"] = data.quote(session, other, "The depot will not be moved,", by="Maria Jensen",
                                     written="Councillor Maria Jensen", confidence=0.6, resolution="surname")
        quotes["relief"] = data.quote(session, other, "a relief", by="Residents", written="Residents",
                                      confidence=0.5)
        for words in ("We will watch the budget,", "closely"):  # left for moving through the list
            data.quote(session, other, words, by="Residents", confidence=0.4, resolution="none")
        return {name: quote.id for name, quote in quotes.items()}

    return live.run(build)


def stored(live, quote_id: int) -> tuple[AttributionState, str | None]:
    def read(session):
        quote = session.get(Quote, quote_id)
        return quote.attribution, quote.speaker.name if quote.speaker else None
    return live.run(read)


def press(page, key: str) -> None:
    """Press a key that submits or follows a link, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_check_by_keyboard(page, live, scene):
    sign_in(page, live, "ed")

    # 1-9: credit the numbered alternative.
    page.goto(live(f"/check/quotes/{scene['winters']}"))
    first = page.locator("ol.alternatives li").first.get_by_role("button").inner_text()
    assert first.startswith("1")
    screenshot(page, "check-item")
    press(page, "1")
    assert stored(live, scene["winters"]) == (AttributionState.CORRECTED, first[1:].strip())
    assert page.get_by_role("status").filter(has_text="Corrected").is_visible()

    # Keys do nothing while typing in a field; away from it, c confirms.
    page.goto(live(f"/check/quotes/{scene['minister']}"))
    page.get_by_label("Who said it").fill("")
    page.get_by_label("Who said it").press("c")
    assert page.get_by_label("Who said it").input_value() == "c"
    assert stored(live, scene["minister"])[0] is AttributionState.UNCHECKED
    page.locator("h2#question").click()
    press(page, "c")
    assert stored(live, scene["minister"]) == (AttributionState.CONFIRMED, "Selma Arvidsson")

    # n: not a quote; u: unattributed.
    page.goto(live(f"/check/quotes/{scene['relief']}"))
    press(page, "n")
    assert stored(live, scene["relief"]) == (AttributionState.NOT_A_QUOTE, None)
    page.goto(live(f"/check/quotes/{scene['fantasy']}"))
    press(page, "u")
    assert stored(live, scene["fantasy"]) == (AttributionState.UNATTRIBUTED, None)
    assert not page.errors, page.errors


def test_moving_through_the_list_by_keyboard(page, live, scene):
    sign_in(page, live, "ed")
    page.goto(live("/check"))
    position = page.locator("#position")
    total = int(re.search(r"of (\d+)", position.inner_text()).group(1))
    assert total >= 2
    page.keyboard.press("j")
    page.wait_for_url(re.compile(r"/check\?at=2$"))
    assert position.inner_text().startswith("Quote 2 of")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"/check\?at=1$"))
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/check\?at=2$"))
    page.keyboard.press("k")
    page.wait_for_url(re.compile(r"/check\?at=1$"))
    page.keyboard.press("k")  # nothing before the first
    assert page.url.endswith("/check?at=1")

    # c on a list position decides that quote, and the next one takes its place.
    decided = int(page.locator("form.decision").first.get_attribute("action").rsplit("/", 1)[1])
    press(page, "c" if page.locator('[data-key="c"]').count() else "u")
    assert stored(live, decided)[0] is not AttributionState.UNCHECKED
    assert page.locator("#position").inner_text() == f"Quote 1 of {total - 1} to check"
    assert not page.errors, page.errors


def test_focus_is_visible_and_the_page_fits_a_phone(page, live, scene):
    sign_in(page, live, "ed")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live(f"/check/quotes/{scene['depot']}"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    page.locator("h2#question").click()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.decisions') !== null"):
            break
    else:
        pytest.fail("Tab never reached the decision buttons")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused button shows where focus is"
    screenshot(page, "check-phone")
    assert not page.errors, page.errors
