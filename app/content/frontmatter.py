"""YAML front matter with line numbers, so every problem can be reported as path:line."""

from dataclasses import dataclass, field

import yaml


class _SafeLineLoader(yaml.SafeLoader):
    """SafeLoader that does not turn dates and times into objects (we want plain values)."""


_SafeLineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class FrontMatter:
    """Parsed front matter: values, the line of each top-level key, and the body after it."""

    data: dict = field(default_factory=dict)
    key_lines: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # the file line on which the body starts
    error: tuple | None = None  # (line, message) when the YAML is broken
    present: bool = False


def parse(text):
    """Split `---` front matter from the body and parse it; never raises."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return FrontMatter(body=text, body_line=1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return FrontMatter(body=text, error=(1, "unclosed"), present=True)
    yaml_text = "".join(lines[1:end])
    result = FrontMatter(body="".join(lines[end + 1:]), body_line=end + 2, present=True)
    try:
        node = yaml.compose(yaml_text, Loader=_SafeLineLoader)
        data = yaml.load(yaml_text, Loader=_SafeLineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 2) if mark else 2
        result.error = (line, str(error.problem or error.context or "invalid YAML"))
        return result
    except yaml.YAMLError as error:
        result.error = (2, str(error))
        return result
    if data is None:
        data = {}
    if not isinstance(data, dict):
        result.error = (2, "not-a-mapping")
        return result
    result.data = data
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            result.key_lines[key_node.value] = key_node.start_mark.line + 2
    return result
