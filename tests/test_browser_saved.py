"""
In a real browser: one user saves a view with a note; another, in a browser context of their own,
finds it in the list with its note, opens it and gets the same view. The test's dashboard keeps
its views in a throwaway SQLite file (the session's `team_database` fixture).
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, expect

from store import Store, database_url
from tests.browser import SETTLE_MS, expect_app_settled, offline_page, screenshot

pytestmark = pytest.mark.browser


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_a_saved_view_is_found_and_opened_in_another_browser(server: str, browser: Browser) -> None:
    name = f"Northern route shut {uuid.uuid4().hex[:6]} <b>bold?</b>"
    note = "Check the Caspian ferry slots <script>window.__pwned=1</script>"
    with offline_page(browser) as first:
        page = first.page
        page.goto(f"{server}/saved?scenario=russia-transit-closed&lang=en")
        expect_app_settled(page)
        expect(page.locator(".st-key-saved_name input")).to_be_visible(timeout=SETTLE_MS)
        page.locator(".st-key-saved_name input").fill(name)
        page.locator(".st-key-saved_note textarea").fill(note)
        page.locator(".st-key-saved_save button").click()
        expect(page.get_by_text("Saved “", exact=False)).to_be_visible(timeout=SETTLE_MS)
        expect_app_settled(page)
        saved_url = query(page.url)
        assert saved_url["scenario"] == "russia-transit-closed"
        assert not first.errors and not first.external

    stored = Store(database_url())
    [saved] = [v for v in stored.views() if v.name == name]
    stored.close()
    assert saved.params() == saved_url  # the link of the view on screen, exactly

    with offline_page(browser) as second:
        page = second.page
        page.goto(f"{server}/saved")
        expect_app_settled(page)
        assert query(page.url).get("scenario") == "baseline"
        row = page.locator(f".st-key-saved_view_{saved.id}")
        expect(row).to_contain_text(name, timeout=SETTLE_MS)  # markup shown as text
        expect(row).to_contain_text(note, timeout=SETTLE_MS)
        row.locator(f'a[data-saved-view="{saved.id}"]').click()  # the same tab, a new session
        expect(page.get_by_text("Opened “", exact=False)).to_be_visible(timeout=SETTLE_MS)
        expect_app_settled(page)
        assert query(page.url) == saved_url
        current = page.get_by_text("The current view:", exact=False).first
        expect(current).to_contain_text("Russia transit closed", timeout=SETTLE_MS)
        scenario = page.locator('[data-testid="stSidebar"]').get_by_role(
            "combobox", name="Scenario"
        )
        expect(scenario).to_match_aria_snapshot('- combobox "Scenario": Russia transit closed')
        assert page.evaluate("() => window.__pwned") is None
        assert not second.errors and not second.external
        page.goto(f"{server}/map?{urlencode(query(page.url))}")  # the link, on the map page
        expect_app_settled(page)
        expect(page.get_by_text("Scenario:", exact=False).first).to_contain_text(
            "Russia transit closed", timeout=SETTLE_MS
        )
        assert query(page.url)["scenario"] == "russia-transit-closed"
        screenshot(page, "saved-view-opened")  # the map page's own tests check its scripts
