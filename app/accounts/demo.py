"""Demo organisations and accounts, so a newcomer can try every role at once."""

from app.accounts import services
from app.accounts.models import Organisation, User, find_user_by_email
from app.extensions import db

DEMO_ORGANISATIONS = [
    ("Община Пловдив", "municipality", "BG"),
    ("Столична община", "municipality", "BG"),
    ("Община Варна", "municipality", "BG"),
    ("Областна администрация Пловдив", "region", "BG"),
    ("Държавна агенция „Електронно управление“", "agency", "BG"),
]

# (e-mail, full name, role, password); the passwords are printed in the README.
DEMO_ACCOUNTS = [
    ("learner@demo.academy", "Мария Иванова", "learner", "learner-demo-2026"),
    ("trainer@demo.academy", "Georgi Petrov", "trainer", "trainer-demo-2026"),
    ("staff@demo.academy", "Elena Dimitrova", "staff", "staff-demo-2026"),
    ("admin@demo.academy", "Admin Adminov", "admin", "admin-demo-2026"),
]


def database_is_empty():
    """True when no account exists yet."""
    return db.session.scalar(db.select(db.func.count(User.id))) == 0


def load_demo():
    """Create the demo organisations and accounts that do not exist yet; return how many accounts."""
    organisations = {}
    for name, kind, country in DEMO_ORGANISATIONS:
        org = db.session.scalar(db.select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, country=country)
            db.session.add(org)
        organisations[name] = org
    db.session.flush()
    created = 0
    for email, full_name, role, password in DEMO_ACCOUNTS:
        if find_user_by_email(email) is None:
            language = "bg" if role == "learner" else "en"
            services.create_user(email, full_name, password, role=role, language=language,
                                 organisation=organisations["Община Пловдив"] if role == "learner" else None)
            created += 1
    return created
