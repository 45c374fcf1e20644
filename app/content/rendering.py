"""The one place Markdown becomes HTML: rendered with Python-Markdown, then sanitised by nh3.

Lessons are rendered once, when a version is imported, and the HTML is stored; pages
never render Markdown per request.
"""

import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

ITEM_LINK = re.compile(r"^(?P<file>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*(?:\.quiz)?\.md)(?P<fragment>#[^\s]*)?$")
TOC_MIN_HEADINGS = 3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class LinkResolver:
    """Turns package-relative links into site URLs; the base class leaves them unchanged."""

    def item_url(self, filename, fragment):
        """URL of a lesson or quiz file such as 02-phishing.md."""
        return filename + (fragment or "")

    def asset_url(self, path):
        """URL of a file such as assets/diagram.svg."""
        return path


class _RewriteLinks(Treeprocessor):
    def __init__(self, md, resolver):
        super().__init__(md)
        self.resolver = resolver

    def run(self, root):
        for element in root.iter():
            if element.tag == "a":
                element.set("href", self._rewrite(element.get("href", "")))
            elif element.tag == "img":
                element.set("src", self._rewrite(element.get("src", "")))
                element.set("loading", "lazy")
            elif element.tag == "table":
                _wrap_table(element)
        return None

    def _rewrite(self, url):
        url = url.strip()
        match = ITEM_LINK.match(url)
        if match:
            return self.resolver.item_url(match["file"], match["fragment"])
        if url.startswith("assets/"):
            return self.resolver.asset_url(url)
        return url


def _wrap_table(table):
    # Tables scroll on their own on small screens instead of widening the page.
    table.set("class", ((table.get("class") or "") + " table").strip())


class _LinkExtension(Extension):
    def __init__(self, resolver):
        super().__init__()
        self.resolver = resolver

    def extendMarkdown(self, md):
        md.treeprocessors.register(_RewriteLinks(md, self.resolver), "academy_links", 1)


def _markdown(resolver):
    return markdown.Markdown(
        extensions=[
            "fenced_code", "codehilite", "tables", "admonition", "footnotes", "toc", "attr_list",
            "sane_lists", "def_list", "abbr", _LinkExtension(resolver),
        ],
        extension_configs={
            "codehilite": {"css_class": "highlight", "guess_lang": False},
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3", "permalink": False},
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": ""},
        },
        output_format="html",
    )


def sanitize(html):
    """Strip everything but a small allowlist of tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text, resolver=None):
    """Render trusted-or-not Markdown to safe HTML; returns (html, toc_html)."""
    md = _markdown(resolver or LinkResolver())
    html = sanitize(md.convert(text or ""))
    headings = _count_headings(getattr(md, "toc_tokens", []))
    toc_html = sanitize(md.toc) if headings >= TOC_MIN_HEADINGS else ""
    return html, toc_html


def _count_headings(tokens):
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)



