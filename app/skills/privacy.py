"""The skills section of a learner's data download, and what erasure does to kept results."""

from app.accounts import privacy
from app.accounts.privacy import iso
from app.extensions import db
from app.skills.models import SkillsCheck, SkillsResult


def skills_section(user):
    """Each kept skills check result: which check, when, the level per competence and every answer (one query)."""
    rows = db.session.execute(
        db.select(SkillsResult, SkillsCheck.slug, SkillsCheck.title)
        .join(SkillsCheck, SkillsCheck.id == SkillsResult.check_id).where(SkillsResult.user_id == user.id)
        .order_by(SkillsResult.taken_at, SkillsResult.id)).all()
    return [{"check": slug, "title": title, "taken_at": iso(result.taken_at), "target_level": result.target,
             "levels_by_competence": result.levels, "answers": result.answers}
            for result, slug, title in rows]


def erase_results(user, withdraw_certificates=False):
    """Delete the person's kept results: a self-assessment is nobody else's business, and the needs
    report only ever shows aggregates that do not need the erased person."""
    db.session.execute(db.delete(SkillsResult).where(SkillsResult.user_id == user.id))


privacy.register_section("skills_checks", skills_section)
privacy.register_eraser(erase_results)
