"""The skills check section of the learner's dashboard: the latest kept result, or an invitation to take one."""

from app.extensions import db
from app.learning import dashboard_extras
from app.skills.models import SkillsResult


def skills_section(user):
    """The learner's latest kept result (one query)."""
    latest = db.session.scalar(db.select(SkillsResult).where(SkillsResult.user_id == user.id)
                               .order_by(SkillsResult.taken_at.desc(), SkillsResult.id.desc()).limit(1))
    return {"skills_latest": latest, "dashboard_sections": ["skills/_dashboard.html"]}


dashboard_extras.register(skills_section)
