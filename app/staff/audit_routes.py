"""The audit log for staff: browse and filter; there is deliberately no way to change it."""

from datetime import date, datetime, time, timedelta

from flask import render_template, request

from app import audit
from app.security import role_required
from app.staff import bp
from app.staff.people_routes import _page


def _day(name):
    """A date from the query string, or None; the second value says whether it was unreadable."""
    text = (request.args.get(name) or "").strip()
    if not text:
        return None, False
    try:
        return date.fromisoformat(text), False
    except ValueError:
        return None, True


@bp.route("/audit")
@role_required("staff")
def audit_log():
    since, bad_since = _day("from")
    until, bad_until = _day("to")
    filters = {
        "action": request.args.get("action", "") if request.args.get("action") in audit.ACTIONS else "",
        "actor": (request.args.get("actor") or "")[:254],
        "target": (request.args.get("target") or "")[:300],
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    results = audit.search(
        filters["action"], filters["actor"].strip(), filters["target"].strip(),
        since=datetime.combine(since, time.min) if since else None,
        until=datetime.combine(until + timedelta(days=1), time.min) if until else None,
        page=_page(),
    )
    return render_template("staff/audit.html", results=results, filters=filters, actions=audit.ACTIONS,
                           bad_dates=bad_since or bad_until,
                           query_args={key: value for key, value in filters.items() if value})
