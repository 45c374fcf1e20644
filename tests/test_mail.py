"""E-mail: real SMTP delivery, a development outbox, and no header injection."""

from email import message_from_bytes, policy

from app import mail


class _Person:
    def __init__(self, email, full_name, language="en"):
        self.email, self.full_name, self.language = email, full_name, language


def test_hostile_name_and_subject_cannot_add_headers(app, outbox):
    """Line breaks in a name or subject never become new headers such as Bcc."""
    person = _Person("maria@plovdiv.bg", "Мария\r\nBcc: victim@evil.example")
    message = mail.build_message(person.email, person.full_name, "Hello\r\nBcc: x@evil.example", "body")
    mail.send_message(message)
    [received] = outbox
    assert received["Bcc"] is None
    assert "\n" not in received["Subject"] and "\n" not in str(received["To"])
    assert received["To"].addresses[0].addr_spec == "maria@plovdiv.bg"


def test_message_has_plain_text_and_html_and_sender(app, outbox):
    """Every e-mail has a plain-text body, an HTML alternative and the hub as sender."""
    message = mail.build_message("a@b.bg", "A B", "Subject", "plain", "<p>html</p>")
    mail.send_message(message)
    [received] = outbox
    assert received.get_body(preferencelist=("plain",)).get_content().strip() == "plain"
    assert "<p>html</p>" in received.get_body(preferencelist=("html",)).get_content()
    assert received["From"].addresses[0].display_name == app.config["HUB_NAME"]


def test_html_email_escapes_user_text(app, outbox):
    """A name with HTML is escaped in the HTML version of an e-mail."""
    person = _Person("a@b.bg", '<img src=x onerror=alert(1)>')
    mail.send_template(person, "password_reset", "Reset", reset_url="http://academy.test/r", hours=2)
    html = outbox[0].get_body(preferencelist=("html",)).get_content()
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_development_outbox_keeps_messages_as_files(app, tmp_path):
    """In development, e-mails are written to instance/outbox so no SMTP server is needed."""
    app.config.update(MAIL_BACKEND="outbox", MAIL_OUTBOX=str(tmp_path / "outbox"))
    mail.send_message(mail.build_message("a@b.bg", "A", "Здравейте", "Текст"))
    [path] = (tmp_path / "outbox").glob("*.eml")
    received = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert received["Subject"] == "Здравейте"
    assert received.get_content().strip() == "Текст"
