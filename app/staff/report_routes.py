"""The staff overview and the training reports, with a CSV and an XLSX export of each report table."""

from dataclasses import dataclass
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from app.security import role_required
from app.staff import bp
from app.staff import reports as service
from app.staff.charts import bar_chart
from app.staff.forms import ReportFilterForm
from app.tabular import csv_download, xlsx_download
from app.timeutil import utcnow

FILTER_ARGS = ("from", "to", "organisation")
TOP_ORGANISATIONS = 5


@dataclass(frozen=True)
class TableView:
    """One report table as the page shows it: rows with display labels, and its chart."""

    table: service.Table
    rows: list
    labels: list
    chart: object


@bp.route("/")
@role_required("staff")
def overview():
    """The figures that matter first: this year's people trained, certificates and enrolments."""
    year = utcnow().year
    filters = service.Filters.calendar_year(year)
    top = [row for row in service.rows("organisation", filters, limit=TOP_ORGANISATIONS) if row.trained]
    return render_template("staff/overview.html", year=year, totals=service.totals(filters), top=top,
                           no_organisation=_("No organisation"), report_args={
                               "from": filters.start.isoformat(), "to": filters.end.isoformat()})


@bp.route("/reports", endpoint="reports")
@role_required("staff")
def report_page():
    """People trained, completions and certificates by course, organisation and month, with filters."""
    form, filters = _filters()
    if filters is None:
        return render_template("staff/reports.html", form=form, totals=None, tables=[], args={})
    tables = [_table_view(name, filters) for name in service.TABLES]
    return render_template("staff/reports.html", form=form, totals=service.totals(filters), tables=tables,
                           args=_args(form), measures=service.MEASURES, measure_labels=service.MEASURE_LABELS)


@bp.route("/reports/by-<table>.<any(csv, xlsx):fmt>")
@role_required("staff")
def report_export(table, fmt):
    """One report table as a file, with the same filters and the same figures as the page."""
    if table not in service.TABLES:
        abort(404)
    _form, filters = _filters()
    if filters is None:  # the page says what is wrong with the filters
        return redirect(url_for("staff.reports", **{key: request.args[key][:100] for key in FILTER_ARGS
                                                    if key in request.args}))
    spec = service.TABLES[table]
    header = [spec.key_label] + [service.MEASURE_LABELS[name] for name in service.MEASURES]
    body = [[_export_label(table, row), *row.figures()] for row in service.rows(table, filters)]
    filename = _filename(table, filters, fmt)
    if fmt == "csv":
        return csv_download(filename, header, body)
    return xlsx_download(filename, header, body, title=str(spec.title))


def _filters():
    """The filter form read from the query string, and the Filters it gives (None when it has errors)."""
    form = ReportFilterForm(request.args, organisations=service.organisation_choices())
    if not form.validate():
        return form, None
    value = form.organisation.data or ""
    return form, service.Filters(start=form.start.data, end=form.end.data,
                                 organisation_id=int(value) if value.isdigit() else None,
                                 no_organisation=value == "none")


def _args(form):
    """The valid filters as query arguments, for the export links."""
    args = {"from": form.start.data and form.start.data.isoformat(),
            "to": form.end.data and form.end.data.isoformat(), "organisation": form.organisation.data}
    return {key: value for key, value in args.items() if value}


def _table_view(name, filters):
    rows = service.rows(name, filters)
    labels = [_display_label(name, row) for row in rows]
    table = service.TABLES[name]
    chart = bar_chart(f"chart-{name}", str(table.chart_title), zip(labels, (row.trained for row in rows), strict=True),
                      keep="last" if name == "month" else "largest", limit=24 if name == "month" else 12)
    return TableView(table, rows, labels, chart)


def _display_label(name, row):
    if name == "month":
        year, month = (int(part) for part in row.key.split("-"))
        return format_date(date(year, month, 1), "LLLL yyyy")
    if name == "organisation" and row.label is None:
        return _("No organisation")
    return row.label


def _export_label(name, row):
    """Months stay `YYYY-MM` in files, so that spreadsheets sort them."""
    if name == "month":
        return row.key
    return _display_label(name, row)


def _filename(table, filters, fmt):
    parts = ["report", "by", table]
    if filters.start:
        parts += ["from", filters.start.isoformat()]
    if filters.end:
        parts += ["to", filters.end.isoformat()]
    if filters.no_organisation:
        parts.append("no-organisation")
    elif filters.organisation_id is not None:
        parts += ["organisation", str(filters.organisation_id)]
    return "-".join(parts) + "." + fmt
