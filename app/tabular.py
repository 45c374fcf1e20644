"""Tables as downloads: CSV (UTF-8 with BOM, so Excel reads Cyrillic) and XLSX, safe from formula injection.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by
spreadsheet programs (CWE-1236); such text cells get a leading apostrophe. Numbers stay numbers.
"""

import csv
import io
from datetime import date, datetime
from urllib.parse import quote

from flask import current_app

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value as it may go into a spreadsheet: text that looks like a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header, rows):
    """UTF-8 CSV with a byte-order mark and CRLF line ends, as spreadsheet programs expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(header, rows, title="Report"):
    """One worksheet with a bold header row; text is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([safe_cell(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula; we never write one
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(data, filename, mimetype):
    """A response that downloads `data` under a safe file name (ASCII fallback plus UTF-8 name)."""
    response = current_app.response_class(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def csv_download(filename, header, rows):
    return download(csv_bytes(header, rows), filename, "text/csv; charset=utf-8")


def xlsx_download(filename, header, rows, title="Report"):
    return download(xlsx_bytes(header, rows, title), filename, XLSX_MIMETYPE)


def content_disposition(filename):
    """`attachment` with an ASCII-only fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    return f"attachment; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _sheet_title(title):
    cleaned = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")
    return (cleaned or "Report")[:31]
