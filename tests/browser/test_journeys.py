"""End-to-end journeys in the real browser, driven with the keyboard alone (Tab, Shift+Tab, Enter, Space,
typing, arrow keys in radio groups and select lists), at a desktop width and at 360 px.

Every control is reached with Tab from where the focus is (never clicked), its focus must be visible,
and the page must never scroll sideways. Screenshots of the key steps go to test-output/screenshots/.
"""

import itertools
import re

import pytest

from tests.browser.conftest import screenshot

MAX_TABS = 250
_emails = itertools.count(1)


def focus_visible(page):
    """True when the focused element shows an outline or a ring (our :focus-visible styles)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return false;
        const style = getComputedStyle(el);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    }""")


def tab_to(page, selector, backwards=False):
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus; check it is visible."""
    target = page.locator(selector).first
    target.wait_for(state="attached")
    handle = target.element_handle()
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            assert focus_visible(page), f"focus is not visible on {selector} at {page.url}"
            return target
    raise AssertionError(f"{selector} cannot be reached with the keyboard on {page.url}")


def press(page, selector, key="Enter", navigates=True):
    """Tab to a control and press a key on it (Enter follows links and submits; Space ticks boxes)."""
    tab_to(page, selector)
    if navigates:
        with page.expect_navigation():
            page.keyboard.press(key)
    else:
        page.keyboard.press(key)


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def check_layout(page, width):
    """No sideways scrolling of the page; every visible control at least 24 × 24 px (WCAG 2.5.8)."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}px"
    if width <= 400:
        small = page.evaluate("""() => [...document.querySelectorAll(
                'main button, main input:not([type=hidden]), main select, main textarea, .site-nav a, main .button')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24)
            .map(([html, r]) => `${html} (${Math.round(r.width)}x${Math.round(r.height)})`)""")
        assert not small, f"targets smaller than 24px on {page.url}: {small}"


def _answers(live_server, attempt_id, correct):
    """For the attempt on screen: what to enter for each position (from the frozen layout of the attempt)."""
    from app.extensions import db
    from app.quizzes.models import Attempt

    with live_server.app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        questions = attempt.quiz.questions
        plan = []
        for position, slot in enumerate(attempt.layout):
            question = questions[slot["q"]]
            key, kind = question["key"], question["type"]
            if not correct:
                plan.append((position, kind, None))
            elif kind == "single":
                best = max(range(len(slot["order"])), key=lambda i: key["choices"][slot["order"][i]]["fraction"])
                plan.append((position, kind, best))
            elif kind == "multiple":
                plan.append((position, kind, [i for i, original in enumerate(slot["order"])
                                              if key["choices"][original]["fraction"] > 0]))
            elif kind == "true-false":
                plan.append((position, kind, "true" if key["correct"] else "false"))
            elif kind == "numeric":
                plan.append((position, kind, f"{key['answers'][0]['answer']:g}"))
            elif kind == "short":
                plan.append((position, kind, key["answers"][0]["text"]))
            elif kind == "matching":
                options = sorted({pair["answer"] for pair in key["pairs"]}, key=str.lower)
                plan.append((position, kind, [options.index(pair["answer"])
                                              for pair in key["pairs"] if pair["text"]]))
        db.session.remove()
    return plan


def answer_with_keyboard(page, plan):
    for position, kind, value in plan:
        name = f"q{position}"
        if value is None:
            continue
        if kind == "single":
            tab_to(page, f"input[name='{name}']")  # Tab enters the radio group on its first option
            if value == 0:
                page.keyboard.press("Space")
            for _ in range(value):
                page.keyboard.press("ArrowDown")  # arrow keys move and select within the group
        elif kind == "true-false":
            tab_to(page, f"input[name='{name}']")
            first = page.locator(f"input[name='{name}']").first.get_attribute("value")
            page.keyboard.press("Space" if first == value else "ArrowDown")
        elif kind == "multiple":
            for index in value:
                tab_to(page, f"#{name}-{index}")
                page.keyboard.press("Space")
        elif kind in ("numeric", "short"):
            type_into(page, f"#{name}", value)
        elif kind == "matching":
            for row, option in enumerate(value):
                tab_to(page, f"#{name}-{row}")
                for _ in range(option + 1):  # past "Choose…"
                    page.keyboard.press("ArrowDown")


def take_quiz(page, live_server, correct):
    press(page, "main form[action$='/start'] button, main a[href*='/attempts/']")
    attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
    answer_with_keyboard(page, _answers(live_server, attempt_id, correct))
    screenshot(page, f"journey-quiz-{'pass' if correct else 'fail'}-{page.viewport_size['width']}")
    press(page, ".quiz-form button[value='check']")
    assert page.url.endswith("/check")
    press(page, "main form[action$='/submit'] button[type='submit']")
    assert page.url.endswith("/review")


@pytest.mark.parametrize("width", [1280, 360])
def test_learner_journey_with_the_keyboard_alone(browser, live_server, width):
    """Register, switch to Bulgarian, find the course, read every lesson, fail then pass the quiz, see the
    review and the progress, download the certificate — then a stranger verifies it by typing its code."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en",
                                  extra_http_headers={"Accept-Language": "en"}, base_url=live_server.url,
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    email = f"clerk{next(_emails)}-{width}@plovdiv.example"

    page.goto("/account/register")
    check_layout(page, width)
    type_into(page, "#full_name", "Мария Петрова")
    type_into(page, "#email", email)
    type_into(page, "#password", "a long passphrase for work")
    type_into(page, "#confirm", "a long passphrase for work")
    press(page, "main form button[type='submit']")
    assert page.locator(".site-nav form[action$='/logout']").count() == 1

    press(page, ".lang-switch button[value='bg']")  # the language switch, from the keyboard
    assert page.get_attribute("html", "lang") == "bg"
    press(page, ".site-nav a[href='/']")
    check_layout(page, width)
    screenshot(page, f"journey-catalogue-{width}")
    press(page, "main a[href='/courses/kiberhigiena']")
    check_layout(page, width)
    press(page, "main form[action$='/enrol'] button")

    for _ in range(10):  # lesson after lesson until the quiz
        if "/quiz/" in page.url:
            break
        check_layout(page, width)
        press(page, "main form[action$='/complete'] button")
    assert "/quiz/" in page.url, page.url
    screenshot(page, f"journey-quiz-intro-{width}")

    take_quiz(page, live_server, correct=False)
    assert page.locator(".result-banner--failed").count() == 1
    press(page, ".result-banner + p a.button[href*='/quiz/']")  # "Read the feedback and try again"
    take_quiz(page, live_server, correct=True)
    assert page.locator(".result-banner--passed").count() == 1
    check_layout(page, width)
    screenshot(page, f"journey-review-{width}")

    press(page, ".site-nav a[href='/dashboard']")
    check_layout(page, width)
    screenshot(page, f"journey-dashboard-{width}")
    link = page.locator(".certificate-list a[href$='.pdf']").first
    code = re.search(r"/certificates/([^/]+)\.pdf", link.get_attribute("href")).group(1)
    tab_to(page, ".certificate-list a[href$='.pdf']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")

    stranger = browser.new_context(viewport={"width": width, "height": 800}, locale="en",
                                   extra_http_headers={"Accept-Language": "en"}, base_url=live_server.url)
    verifier = stranger.new_page()
    verifier.goto("/verify")
    # As read aloud over the phone: lower case, no dashes, O for 0 and L for 1 (or a confusable added).
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    type_into(verifier, "#code", typed)
    press(verifier, "main form button[type='submit']")
    check_layout(verifier, width)
    screenshot(verifier, f"journey-verified-{width}")
    assert verifier.locator(".status-banner--valid").count() == 1
    assert "Мария Петрова" in verifier.locator("main").inner_text()
    stranger.close()
    context.close()
