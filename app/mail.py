"""Outgoing e-mail: rendered in the recipient's language, sent by SMTP or kept in an outbox."""

import re
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from app.timeutil import utcnow

_LINE_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def clean_header(value):
    """Collapse control characters so user text can never add an e-mail header."""
    return _LINE_BREAKS.sub(" ", str(value)).strip()


def build_message(to_address, to_name, subject, text_body, html_body=None):
    """Assemble a plain-text e-mail with an optional HTML alternative."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = clean_header(subject)
    message["From"] = Address(clean_header(config["HUB_NAME"]), addr_spec=config["MAIL_SENDER"])
    message["To"] = Address(clean_header(to_name or ""), addr_spec=clean_header(to_address))
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text_body)
    if html_body:
        message.add_alternative(html_body, subtype="html")
    return message


def send_message(message):
    """Deliver a message through the configured backend."""
    send_messages([message])


def send_messages(messages):
    """Deliver many messages over one SMTP connection; returns how many were sent before any failure.

    `messages` may be a generator: each message is built only once the connection stands.
    """
    config = current_app.config
    sent = 0
    if config["MAIL_BACKEND"] == "outbox":
        for message in messages:
            _write_to_outbox(message, Path(config["MAIL_OUTBOX"]))
            sent += 1
        return sent
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for message in messages:
            smtp.send_message(message)
            sent += 1
    return sent


def template_message(user, template, subject, **context):
    """Render `email/<template>.txt` and `.html` in the user's language into a message."""
    language = user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        context = {"user": user, **context}
        text_body = render_template(f"email/{template}.txt", **context)
        html_body = render_template(f"email/{template}.html", **context)
        subject_text = str(subject)
    return build_message(user.email, user.full_name, subject_text, text_body, html_body)


def send_template(user, template, subject, **context):
    """Render `email/<template>.txt` and `.html` in the user's language and send them."""
    send_message(template_message(user, template, subject, **context))


def _write_to_outbox(message, outbox):
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    # The file name only: a log line must never carry the recipient's address (personal data).
    current_app.logger.info("E-mail written to %s", path)
