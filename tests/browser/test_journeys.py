"""End-to-end journeys in the real browser, driven with the keyboard alone (Tab, Shift+Tab, Enter, Space,
typing, arrow keys in radio groups and select lists), at a desktop width and at 360 px.

Every control is reached with Tab from where the focus is (never clicked), its focus must be visible,
and the page must never scroll sideways. Screenshots of the key steps go to test-output/screenshots/.
"""

import itertools
import re

import pytest

from tests.browser.conftest import screenshot, use_language

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


def _signed_in_page(browser, live_server, email, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en",
                                  extra_http_headers={"Accept-Language": "en"}, base_url=live_server.url,
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/account/login")
    page.fill("input[name='email']", email)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    page.language = "en"
    use_language(page)  # an earlier test may have saved Bulgarian in this demo account's profile
    return context, page


def test_trainer_fixes_a_broken_upload_in_the_browser_and_publishes(browser, live_server):
    """Upload a package with an error, see it listed, open the line in the editor, fix it, preview, publish."""
    import io
    import zipfile

    from app.content import exporter
    from app.content.models import Course, CourseVersion
    from app.extensions import db
    from tests.browser.conftest import TRAINER

    with live_server.app.app_context():
        course = db.session.scalar(db.select(Course).where(Course.slug == "open-services"))
        files = exporter.package_files(course.current_version)
        lesson = next(name for name in sorted(files) if name.endswith(".md") and name != "course.md"
                      and not name.endswith(".quiz.md"))
        versions_before = db.session.scalar(db.select(db.func.max(CourseVersion.number))
                                            .where(CourseVersion.course_id == course.id))
        db.session.remove()
    broken_text = files[lesson].decode() + "\n![](assets/missing.png)\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in {**files, lesson: broken_text.encode()}.items():
            archive.writestr(f"open-services/{name}", data)

    context, page = _signed_in_page(browser, live_server, *TRAINER)
    page.goto("/trainer/upload")
    page.set_input_files("input[name='package']", files=[
        {"name": "open-services.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}])
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    summary = page.locator(".error-summary")
    assert summary.count() == 1 and "alt" in summary.inner_text().lower()
    screenshot(page, "journey-trainer-upload-errors")

    with page.expect_navigation():
        page.click(f".problem-list a[href*='/edit/{lesson}']")
    fixed = broken_text.replace("![](assets/missing.png)", "A new closing paragraph, checked in the browser.")
    page.fill("#source", fixed)
    with page.expect_navigation():
        page.click("button[value='preview']")
    assert page.locator(".error-summary").count() == 0
    assert "A new closing paragraph, checked in the browser." in page.locator(".editor-preview").inner_text()
    screenshot(page, "journey-trainer-preview")
    with page.expect_navigation():
        page.click("button[value='save']")
    with page.expect_navigation():
        page.click(f"main form[action$='/publish/{versions_before + 1}'] button")
    assert f"Version {versions_before + 1} is now published" in page.locator(".flashes").inner_text()
    screenshot(page, "journey-trainer-published")
    page.goto(f"/courses/open-services/{lesson[3:-3]}")
    assert "A new closing paragraph, checked in the browser." in page.locator("main").inner_text()
    context.close()


def test_staff_enrol_a_cohort_from_csv_and_issue_its_certificates(browser, live_server):
    """Create a cohort, upload the list, check the preview, confirm, then get the cohort's certificates as a ZIP."""
    from tests.browser.conftest import STAFF

    context, page = _signed_in_page(browser, live_server, *STAFF)
    page.goto("/staff/")
    with page.expect_navigation():
        page.click("main a[href='/staff/cohorts']")
    with page.expect_navigation():
        page.click("main a[href='/staff/cohorts/new']")
    page.fill("#name", "Община Пловдив — Киберхигиена — пролет 2027")
    page.fill("#starts_on", "2027-03-01")
    page.check("input[name='courses'][value] >> nth=0")
    page.locator("label", has_text="(kiberhigiena)").click()
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    assert "The cohort was saved." in page.locator(".flashes").inner_text()
    roster = ("Име и фамилия;Имейл;Организация\n"
              "Иван Георгиев;ivan.georgiev@demo.academy;Община Пловдив\n"
              "Нова Служителка;nova.sluzhitelka@plovdiv.example;\n"
              "Грешен Адрес;not-an-address;\n").encode("utf-8-sig")
    page.set_input_files("input[name='roster']", files=[
        {"name": "plovdiv.csv", "mimeType": "text/csv", "buffer": roster}])
    with page.expect_navigation():
        page.click("main form[action$='/upload'] button[type='submit']")
    table = page.locator("main table").inner_text()
    assert "New account, invited" in table and "Enrolled" in table and "is not an e-mail address" in table
    screenshot(page, "journey-staff-preview")
    with page.expect_navigation():
        page.click("main form button[type='submit']:has-text('Enrol 2 people')")
    flashed = page.locator(".flashes").inner_text()
    assert "Enrolled: 2 (new accounts invited by e-mail: 1). Rows skipped: 1." in flashed

    with page.expect_navigation():
        page.click("main a[href*='/staff/certificates/bulk?cohort=']")
    label = next(text for text in page.locator("#course option").all_inner_texts() if "Киберхигиена" in text)
    page.locator("#course").select_option(label=label)
    with page.expect_navigation():
        page.click("main form button[type='submit']")
    page.wait_for_selector("main a[href$='.zip']", timeout=120_000)  # the page follows the job's progress
    screenshot(page, "journey-staff-certificates")
    with page.expect_download() as download:
        page.click("main a[href$='.zip']")
    assert download.value.path().read_bytes().startswith(b"PK")
    context.close()


def test_quiz_timer_warns_politely_and_never_moves_focus(page, live_server):
    """Five minutes before the end, a polite live region says so; the focus stays where the learner typed."""
    from datetime import timedelta

    from app.extensions import db
    from app.quizzes.models import Attempt
    from app.timeutil import utcnow
    from tests.browser.conftest import LEARNER, sign_in

    sign_in(page, *LEARNER)
    page.goto("/courses/cyber-hygiene/quiz/check")
    with page.expect_navigation():
        page.click("main form[action$='/start'] button, main a[href*='/attempts/']")
    attempt_id = int(re.search(r"/attempts/(\d+)", page.url).group(1))
    with live_server.app.app_context():
        db.session.execute(db.update(Attempt).where(Attempt.id == attempt_id)
                           .values(deadline=utcnow() + timedelta(minutes=4, seconds=50)))
        db.session.commit()
        db.session.remove()
    page.reload()
    assert page.get_attribute("#timer-alert", "aria-live") == "polite"
    assert page.get_attribute("#timer", "aria-live") == "off"  # the ticking clock itself stays silent
    field = page.locator(".quiz-form input[type='text'], .quiz-form input[type='radio']").first
    field.focus()
    page.wait_for_function("document.getElementById('timer-alert').textContent.includes('5')")
    assert "5" in page.inner_text("#timer-alert")
    assert page.evaluate("el => document.activeElement === el", field.element_handle())
    with live_server.app.app_context():  # leave the learner's attempt as the other tests expect it
        db.session.execute(db.update(Attempt).where(Attempt.id == attempt_id).values(deadline=None))
        db.session.commit()
        db.session.remove()
