"""Languages: profile first, then the switcher, then the browser; Bulgarian complete."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import submit

ROOT = Path(__file__).resolve().parent.parent


def test_browser_language_is_used_for_visitors(client):
    """A visitor whose browser prefers Bulgarian gets Bulgarian; English gets English."""
    assert '<html lang="bg">' in client.get("/", headers={"Accept-Language": "bg-BG,bg;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)


def test_default_language_is_bulgarian(client):
    """A browser that asks for neither language gets the hub's default, Bulgarian."""
    assert '<html lang="bg">' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)


def test_switcher_beats_the_browser_and_returns_to_the_page(client):
    """Choosing БГ on any page shows that page in Bulgarian, whatever the browser says."""
    response = submit(client, "/language", {"language": "bg", "next": "/account/login?next=%2F"},
                      page="/account/login")
    assert response.headers["Location"] == "/account/login?next=%2F"
    page = client.get("/account/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="bg">' in page and "Вход" in page


def test_switcher_refuses_unknown_languages_and_foreign_redirects(client):
    """Unknown languages are ignored and the redirect never leaves the site."""
    response = submit(client, "/language", {"language": "xx", "next": "//evil.com"}, page="/")
    assert response.headers["Location"] == "/"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_switcher_saves_the_choice_in_the_profile(client, make_user, login):
    """A signed-in learner's choice is remembered on every computer."""
    from app.accounts.models import User
    from app.extensions import db

    user = make_user(language="en")
    login(user)
    submit(client, "/language", {"language": "bg", "next": "/"}, page="/")
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "bg"


def test_profile_language_beats_the_switcher_session(app, client, make_user, login):
    """The profile's language wins over what an anonymous visit chose before signing in."""
    submit(client, "/language", {"language": "bg", "next": "/"}, page="/")
    login(make_user(language="en"))
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def _catalogue():
    with open(ROOT / "app/translations/bg/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle)


def _is_translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def test_bulgarian_catalogue_is_complete_and_current(tmp_path):
    """Every string in the code and templates has a Bulgarian translation (none fuzzy)."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        wanted = {message.id for message in read_po(handle) if message.id}
    assert len(wanted) > 100, "extraction found too few strings; is babel.cfg right?"
    translated = {message.id for message in _catalogue() if message.id and _is_translated(message)}
    missing = sorted(str(m) for m in wanted - translated)
    assert missing == [], f"strings without a Bulgarian translation: {missing}"


@pytest.mark.parametrize("message", [m for m in _catalogue() if m.id], ids=lambda m: str(m.id)[:40])
def test_translations_keep_their_placeholders(message):
    """A translation keeps every %(name)s of its English original, so nothing breaks at run time."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    source = message.id if isinstance(message.id, str) else message.id[0]
    target = message.string if isinstance(message.string, str) else message.string[0]
    assert sorted(pattern.findall(source)) == sorted(pattern.findall(target))
