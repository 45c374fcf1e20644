"""render_markdown: the features trainers use, and hostile content made harmless."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.content.rendering import LinkResolver, render_markdown

PAYLOADS = [line for line in (Path(__file__).parent.parent / "data" / "xss_payloads.txt").read_text().splitlines()
            if line.strip()]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "form", "input", "button", "style", "link", "meta", "base",
                  "svg", "math", "video", "source", "marquee", "body", "noscript", "frame", "frameset"}


class _Inspector(HTMLParser):
    """Collects what a browser would treat as markup, ignoring harmless text."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name in {"href", "src"} and re.match(r"\s*(javascript|vbscript|data):", value or "", re.I):
                self.problems.append(f"url {value}")


def dangerous(html):
    inspector = _Inspector()
    inspector.feed(html)
    return inspector.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_is_neutralised(bare_app, payload):
    """No script, handler, dangerous URL, frame, form or style survives rendering."""
    for text in (payload, f"Some text {payload} more text", f"- item\n- {payload}\n", f"| a |\n|---|\n| {payload} |"):
        html, toc = render_markdown(text)
        assert dangerous(html) == [], html
        assert dangerous(toc) == []


def test_attribute_lists_keep_only_safe_attributes(bare_app):
    """`{: ...}` can add a class but never an event handler or a style."""
    html, _ = render_markdown('Para\n{: .note onmouseover="alert(1)" style="color:red" }\n')
    assert 'class="note"' in html
    assert "onmouseover" not in html and "style" not in html


def test_template_syntax_is_shown_as_text(bare_app, client=None):
    """`{{ config }}` in a lesson is text, never evaluated by the template engine."""
    html, _ = render_markdown("Secret: {{ config.SECRET_KEY }} {% raw %}")
    assert "{{ config.SECRET_KEY }}" in html


def test_markdown_features(bare_app):
    """Code highlighting, tables, admonitions, footnotes and a contents list all work."""
    text = """## One

```python
print("hi")
```

| Col A | Col B |
|-------|------:|
| 1     | 2     |

!!! warning "Watch out"
    Careful here.

A claim.[^1]

[^1]: The source.

## Two

### Two and a half
"""
    html, toc = render_markdown(text)
    assert '<div class="highlight">' in html and '<span class="nb">print</span>' in html
    assert "<th>Col A</th>" in html and 'align="right"' in html
    assert 'class="admonition warning"' in html and "Watch out" in html
    assert 'class="footnote"' in html
    assert 'id="one"' in html
    assert 'href="#two-and-a-half"' in toc


def test_short_lessons_get_no_contents_list(bare_app):
    """A lesson with one or two sections does not need a table of contents."""
    assert render_markdown("## Only one\n\nText")[1] == ""


def test_cyrillic_headings_get_anchors(bare_app):
    """Bulgarian headings get readable anchors so the contents list works."""
    html, toc = render_markdown("## Пароли\n\n## Фишинг\n\n## Устройства\n")
    assert 'id="пароли"' in html and 'href="#фишинг"' in toc


def test_links_and_images_are_rewritten(bare_app):
    """Lesson links point to lesson pages and asset links to served files."""
    class Resolver(LinkResolver):
        def item_url(self, filename, fragment):
            return "/courses/c/" + filename.split("-", 1)[1].removesuffix(".md") + (fragment or "")

        def asset_url(self, path):
            return "/assets/abc/" + path.split("/")[-1]

    html, _ = render_markdown("[Phishing](02-phishing.md#top) ![Alt](assets/a.png) [web](https://example.org)",
                              Resolver())
    assert 'href="/courses/c/phishing#top"' in html
    assert 'src="/assets/abc/a.png"' in html and 'alt="Alt"' in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
