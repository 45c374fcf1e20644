"""Checks of Markdown bodies, line by line: links, images, alt text, heading structure and table headers."""

import re

from flask_babel import lazy_gettext as _l

from app.content.rendering import ITEM_LINK

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`+[^`]*`+")
HEADING = re.compile(r"^(#{1,6})\s+\S")
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]^][^\]]*\]:\s*<?(\S+?)>?(?:\s|$)")
RAW_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
RAW_LOCAL_URL = re.compile(r"<(?:img|a)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?!https?:|mailto:|tel:|#)[^\s\"'>]+",
                           re.IGNORECASE)
RAW_TABLE = re.compile(r"<table\b", re.IGNORECASE)
RAW_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
RAW_HEADER_CELL = re.compile(r"<th\b", re.IGNORECASE)
ADMONITION = re.compile(r"^\s*!!!\s+[\w-]+\s*$")
RAW_ALT = re.compile(r"\balt\s*=\s*(\"[^\"]+\"|'[^']+'|[^\s>\"']+)", re.IGNORECASE)
VAGUE_LINK_TEXTS = {
    "here", "click here", "this", "link", "this link", "more", "read more",
    "тук", "натиснете тук", "кликнете тук", "връзка", "линк", "този линк", "още", "прочетете още",
}


def check_body(body, first_line, filenames, assets, report):
    """Check a Markdown body; `report(line, message)` is called for each problem found."""
    in_fence = False
    previous_level = 1  # the page's own title is the h1
    table = None  # [line of an open raw HTML <table>, whether it has a header cell yet]
    for offset, raw in enumerate(body.splitlines()):
        line = first_line + offset
        if FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        text = INLINE_CODE.sub("", raw)
        if ADMONITION.match(text):
            report(line, _l("give the box a title in quotes, e.g. !!! warning \"Check the sender\", so it reads "
                            "well in the course's language"))
        if RAW_LOCAL_URL.search(text):
            report(line, _l("write links and images to lessons or assets in Markdown, e.g. ![alt](assets/file.png); "
                            "in HTML tags they cannot be resolved"))
        previous_level = _check_heading(text, line, previous_level, report)
        table = _check_table(text, line, table, report)
        _check_images(text, line, assets, report)
        _check_links(text, line, filenames, assets, report)


def _check_table(text, line, table, report):
    """Markdown tables always have a header row; a raw HTML table needs <th> cells to have one."""
    if RAW_TABLE.search(text):
        table = [line, False]
    if table is not None and RAW_HEADER_CELL.search(text):
        table[1] = True
    if table is not None and RAW_TABLE_END.search(text):
        if not table[1]:
            report(table[0], _l("this table has no header row: mark the first row's cells as <th>, or write the "
                                "table in Markdown (| Heading | … | followed by | --- |)"))
        table = None
    return table


def _check_heading(text, line, previous_level, report):
    match = HEADING.match(text)
    if not match:
        return previous_level
    level = len(match.group(1))
    if level == 1:
        report(line, _l("use '## ' for sections: the title from the front matter is the page's only top heading"))
    elif level > previous_level + 1:
        report(line, _l("the heading jumps from level %(a)d to level %(b)d; use %(hashes)s instead",
                        a=previous_level, b=level, hashes="#" * (previous_level + 1)))
    return level


def _check_images(text, line, assets, report):
    for alt, target in IMAGE.findall(text):
        if not alt.strip():
            report(line, _l("the image '%(target)s' has no alt text: describe it between the square brackets",
                            target=target))
        _check_target(target, line, set(), assets, report)
    for tag in RAW_IMG.findall(text):
        if not RAW_ALT.search(tag):
            report(line, _l("an <img> tag has no alt text"))


def _check_links(text, line, filenames, assets, report):
    for label, target in LINK.findall(IMAGE.sub("", text)):
        if label.strip().strip(".!:").lower() in VAGUE_LINK_TEXTS:
            report(line, _l("the link text '%(text)s' does not say where the link goes", text=label.strip()))
        _check_target(target, line, filenames, assets, report)
    match = REFERENCE.match(text)
    if match:
        _check_target(match.group(1), line, filenames, assets, report)


def _check_target(target, line, filenames, assets, report):
    if not target or target.startswith(("#", "http://", "https://", "mailto:", "tel:")):
        return
    lowered = target.lower()
    if lowered.startswith(("javascript:", "data:", "vbscript:", "file:")):
        report(line, _l("links may only use http, https, mailto or tel addresses"))
        return
    path = target.split("#", 1)[0]
    if path.startswith("assets/"):
        if path not in assets:
            report(line, _l("the file '%(path)s' is not in the package's assets folder", path=path))
        return
    if path.endswith(".md"):
        if not ITEM_LINK.match(path) or path not in filenames:
            report(line, _l("the link to '%(path)s' does not point to a lesson or quiz of this course", path=path))
        return
    report(line, _l("the link '%(target)s' is neither a web address, a lesson file nor a file in assets/",
                    target=target))
