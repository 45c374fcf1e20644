"""Small helpers the tests share: CSRF-aware form posts, text of e-mails, query counting."""

import re
from contextlib import contextmanager

from sqlalchemy import event

CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html):
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submit(client, url, data, page=None, **kwargs):
    """Open `page` (default `url`) like a browser, then post `data` with its CSRF token."""
    response = client.get(page or url, headers=dict(kwargs.get("headers") or {}))
    token = csrf_token_from(response.get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def mail_text(message):
    """The plain-text body of an e-mail."""
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def first_link(text, pattern):
    """The first URL in `text` that contains `pattern`."""
    for url in re.findall(r"https?://\S+", text):
        if pattern in url:
            return url
    raise AssertionError(f"no link with {pattern!r} in: {text}")


class QueryCounter:
    """Counts SQL statements sent to an engine."""

    def __init__(self):
        self.statements = []

    @property
    def count(self):
        return len(self.statements)

    def __call__(self, conn, cursor, statement, *args):
        if not statement.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)


@contextmanager
def count_queries(engine):
    """Context manager yielding a QueryCounter for statements run inside it."""
    counter = QueryCounter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def run_concurrently(app, count, action):
    """Run `action()` in `count` threads, each with its own app context, released together.

    Returns (results, errors). Each thread commits on success and rolls back on error, like a
    request would; a barrier makes them start at the same moment.
    """
    import threading

    from app.extensions import db

    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results.append(action())
                db.session.commit()
            except Exception as error:  # collected for the test to assert on
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def join_threads(name, timeout=120):
    """Wait for the app's background threads called `name` (e.g. invitation e-mails) to finish."""
    import threading

    for thread in threading.enumerate():
        if thread.name == name:
            thread.join(timeout)
            assert not thread.is_alive(), f"thread {name} still running after {timeout} s"
