"""The skills check in the real browser with the keyboard alone, at a desktop width and at 360 px:
a visitor answers every statement, sees the profile, and is sent to sign in to keep the result."""

import pytest

from tests.browser.test_journeys import check_layout, press, tab_to


@pytest.mark.parametrize("width", [1280, 360])
def test_visitor_takes_the_skills_check_with_the_keyboard(browser, live_server, width):
    """Tab into each statement, choose with the arrow keys, send; the result fits the screen and offers courses."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="bg",
                                  extra_http_headers={"Accept-Language": "bg"}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/")
    press(page, ".site-nav a[href='/skills']")
    check_layout(page, width)
    press(page, "main a[href='/skills/proverka-na-umeniyata']")
    check_layout(page, width)
    statements = page.locator(".skills-form fieldset")
    for index in range(statements.count()):
        tab_to(page, f"#{statements.nth(index).get_attribute('id')}-1")
        page.keyboard.press("ArrowRight" if index % 2 else "Space")  # the 2nd answer, or the 1st
    press(page, ".skills-form button[type='submit']")
    assert page.locator("#profile-title").count() == 1
    check_layout(page, width)
    assert page.locator("svg.chart title").count() == 1
    assert page.locator("main a[href^='/courses/']").count() >= 1
    press(page, "main form[action$='/keep'] button[type='submit']")
    assert "/account/login" in page.url
    context.close()
