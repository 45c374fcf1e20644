"""The certificates section of the learner's dashboard."""

from datetime import date, timedelta

from app.certificates import services
from app.learning import dashboard_extras


def certificates_section(user):
    """The learner's valid certificates and those to renew soon (one query)."""
    today = date.today()
    mine = [c for c in services.of_user(user.id) if c.state == "valid"]
    renew = [c for c in mine if c.valid_until is not None and c.valid_until <= today + timedelta(days=30)]
    return {"certificates": mine, "certificates_to_renew": renew, "today": today,
            "dashboard_sections": ["certificates/_dashboard.html"]}


dashboard_extras.register(certificates_section)
