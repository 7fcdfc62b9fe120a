"""From the desk to readers: a reviewer gives a verdict, an editor signs it off, readers see it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.web import reader_data as data

pytestmark = pytest.mark.browser


@pytest.fixture
def unreviewed(live):
    def scene(session):
        brennick = data.speaker(session, "Tomas Brennick")
        article = data.article(session, data.BRIDGE_TEXT.replace("Harbour", "Harbor"), title="Bridge vote, desk flow")
        quote = data.quote(session, article, "Nobody is against safety, but the council voted blind", by=brennick)
        return {"article": article.id, "quote": quote.id}

    return live.run(scene)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_reviewer_gives_a_verdict_editor_signs_off_reader_sees_it(browser, page, live, unreviewed):
    sign_in(page, live, "rita")
    page.goto(live(f"/review/quotes/{unreviewed['quote']}"))
    form = page.locator("form.review-form")
    form.get_by_label("Did they say it? (verdict)").select_option("out_of_context")
    form.get_by_label("Status").select_option("awaiting_signoff")
    form.get_by_label("Public note").fill("He said it, but about the **2019** vote, not this one.")
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved." in page.locator("main").inner_text()
    screenshot(page, "desk-reviewer-saved")

    # Not public yet: an anonymous reader still sees "Unverified".
    reader = browser.new_context().new_page()
    reader.goto(live(f"/articles/{unreviewed['article']}"))
    assert "UNVERIFIED" in reader.locator(f"#q{unreviewed['quote']} .q-chip").inner_text()

    sign_out(page)
    sign_in(page, live, "ed")
    page.goto(live(f"/review/quotes/{unreviewed['quote']}"))
    form = page.locator("form.review-form")
    form.get_by_label("Status").select_option("published")
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved." in page.locator("main").inner_text(), page.locator("main").inner_text()

    reader.goto(live(f"/articles/{unreviewed['article']}"))
    mark = reader.locator(f"#q{unreviewed['quote']}")
    assert "OUT OF CONTEXT" in mark.locator(".q-chip").inner_text()
    mark.focus()
    assert "about the 2019 vote" in reader.locator(f"#qc{unreviewed['quote']}").inner_text()
    reader.keyboard.press("Enter")
    reader.wait_for_url(re.compile(rf"/quotes/{unreviewed['quote']}$"))
    assert "Out of context" in reader.locator("#verdict-heading").inner_text()
    assert "Verdict published" in reader.locator("main").inner_text()
    screenshot(reader, "quote-page-after-signoff")
    reader.context.close()
