"""The accessibility statement the Web Accessibility Directive requires, in both languages, linked from every page."""

import pytest


@pytest.mark.parametrize("language, expected", [
    ("en", ["Accessibility statement", "partially compliant", "EN 301 549", "Feedback and contact",
            "Enforcement procedure", "What is not fully accessible"]),
    ("bg", ["Декларация за достъпност", "частично съвместима", "EN 301 549", "Обратна връзка и контакт",
            "Процедура по прилагане", "Какво не е напълно достъпно"]),
])
def test_statement_in_each_language(client, app, language, expected):
    page = client.get("/accessibility", headers={"Accept-Language": language}).get_data(as_text=True)
    for text in expected:
        assert text in page, text
    assert f'<html lang="{language}"' in page
    assert f"mailto:{app.config['CONTACT_EMAIL']}" in page


def test_every_page_links_to_the_statement(client):
    for path in ("/", "/verify", "/account/login", "/no-such-page"):
        assert 'href="/accessibility"' in client.get(path).get_data(as_text=True), path
