"""The needs report for hub staff: aggregates per competence, per organisation and per quarter, never
for fewer people than the minimum group size (see app/skills/needs.py), on screen and in CSV/XLSX alike.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.extensions import db
from app.security import role_required
from app.skills import bp, digcomp, needs
from app.skills.chart import share_chart
from app.skills.forms import MinGroupForm
from app.tabular import csv_download, xlsx_download

TABLES = ("overall", "organisations", "trend")


@bp.route("/staff/skills")
@role_required("staff")
def needs_index():
    """The checks people have taken; the report of the first one, or an empty state."""
    families = needs.families()
    if families:
        return redirect(url_for("skills.needs_report", family=next(iter(families))))
    return render_template("skills/needs.html", families={}, family=None, tables={}, min_group=needs.min_group_size(),
                           settings_form=MinGroupForm(size=needs.min_group_size()))


@bp.route("/staff/skills/<family>")
@role_required("staff")
def needs_report(family):
    """Per competence: the share of people below target, overall, by organisation and by quarter."""
    families = needs.families()
    if family not in families:
        abort(404)
    min_group = needs.min_group_size()
    group = _group_arg()
    cells = needs.report(family, min_group)
    names = needs.organisation_names(cells)
    tables = _tables(cells, names, group)
    overall = [(label, share) for label, _people, _below, share in tables["overall"][1]]
    return render_template("skills/needs.html", families=families, family=family, check=families[family],
                           tables=tables, min_group=min_group, group=group, groups=_group_choices(cells, names),
                           chart=share_chart("needs-chart", _("People below the target level, by competence"), overall),
                           settings_form=MinGroupForm(size=min_group))


@bp.route("/staff/skills/<family>/<table>.<any(csv, xlsx):fmt>")
@role_required("staff")
def needs_export(family, table, fmt):
    """One table of the report as a file: the same rows as on screen, small groups left out the same way."""
    if table not in TABLES or family not in needs.families():
        abort(404)
    group = _group_arg()
    cells = needs.report(family, needs.min_group_size())
    header, rows = _tables(cells, needs.organisation_names(cells), group)[table]
    filename = f"skills-needs-{family}-{table}" + (f"-{group}" if table == "trend" and group != needs.OVERALL else "")
    if fmt == "csv":
        return csv_download(f"{filename}.csv", header, rows)
    return xlsx_download(f"{filename}.xlsx", header, rows, title=_("Skills needs"))


@bp.route("/staff/skills/settings", methods=["POST"])
@role_required("admin")
def needs_settings():
    """Change the smallest group the report shows (admins)."""
    form = MinGroupForm()
    if form.validate_on_submit():
        before = needs.min_group_size()
        needs.set_min_group_size(form.size.data)
        audit.record("skills.min_group_changed", actor=current_user, before=before, after=form.size.data)
        db.session.commit()
        flash(_("The smallest group is now %(n)d people.", n=form.size.data), "success")
    else:
        flash(" ".join(str(error) for error in form.size.errors) or _("Please send the form again."), "error")
    return redirect(url_for("skills.needs_index"))


def _group_arg():
    value = (request.args.get("group") or needs.OVERALL)[:20]
    return value if value in (needs.OVERALL, needs.NO_ORGANISATION) or value.isdigit() else needs.OVERALL


def _competence(competence_id):
    return f"{competence_id} {digcomp.competence_name(competence_id, str(get_locale()))}"


def _group_label(group, names):
    if group == needs.OVERALL:
        return _("All organisations")
    if group == needs.NO_ORGANISATION:
        return _("No organisation")
    return names.get(group, group)


def _tables(cells, names, group):
    """Each table as (header, rows): what the page shows and the files contain."""
    figures = [_("Number of people"), _("Below target"), _("Share below target (%)")]
    latest = [cell for cell in cells if cell.period == ""]
    return {
        "overall": ([_("Competence"), *figures],
                    [[_competence(c.competence), c.people, c.below, c.share] for c in latest
                     if c.group == needs.OVERALL]),
        "organisations": ([_("Organisation"), _("Competence"), *figures],
                          [[_group_label(c.group, names), _competence(c.competence), c.people, c.below, c.share]
                           for c in sorted(latest, key=lambda c: (_group_label(c.group, names), c.competence))
                           if c.group != needs.OVERALL]),
        "trend": ([_("Quarter"), _("Competence"), *figures],
                  [[c.period, _competence(c.competence), c.people, c.below, c.share]
                   for c in cells if c.period and c.group == group]),
    }


def _group_choices(cells, names):
    """Groups the trend can be shown for: everyone, and each group visible in some figure."""
    groups = sorted({cell.group for cell in cells if cell.group != needs.OVERALL}, key=lambda g: _group_label(g, names))
    return [(needs.OVERALL, _group_label(needs.OVERALL, names))] + [(g, _group_label(g, names)) for g in groups]
