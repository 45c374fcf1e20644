"""Writing question records (from GIFT, Aiken or our own format) as a `*.quiz.md` file."""

import json

TYPE_OPTION = {"shortanswer": "short", "numerical": "numeric", "match": "matching", "essay": "essay",
               "description": "description", "truefalse": "true-false"}


def _percent(fraction):
    value = round(float(fraction) * 100, 5)
    return f"{{{int(value) if value == int(value) else value}%}} "


def _quote(text, indent=""):
    return [f"{indent}> {line}".rstrip() for line in str(text).strip().splitlines()] if str(text).strip() else []


def _heading(record, options):
    text = " ".join(str(record.get("questiontext", "")).split())
    single_line = "\n" not in str(record.get("questiontext", "")).strip() and len(text) <= 300
    title = text if single_line and text else str(record.get("name") or text or "?")
    suffix = f" {{{', '.join(options)}}}" if options else ""
    body = "" if single_line and text else str(record.get("questiontext", "")).strip()
    heading_text = " ".join(title.split())
    if body and " ".join(body.split("\n\n", 1)[0].split()) == heading_text:
        body = body.split("\n\n", 1)[1].strip() if "\n\n" in body else ""  # our own heading + body form
    return [f"## {' '.join(title.split())}{suffix}", *(["", *body.splitlines(), ""] if body else [])]


def _choice_lines(record):
    single = record.get("single", True)
    lines = []
    for answer in record.get("answers", []):
        fraction = float(answer.get("fraction", 0))
        mark = "x" if (fraction >= 1 if single else fraction > 0) else " "
        weight = "" if (single and fraction in (0, 1)) else _percent(fraction)
        lines.append(f"- [{mark}] {weight}{' '.join(str(answer.get('text', '')).split())}")
        lines += _quote(answer.get("feedback", ""), "    ")
    return lines


def _answer_lines(record):
    qtype = record["qtype"]
    if qtype == "multichoice":
        return _choice_lines(record)
    if qtype == "truefalse":
        right = bool(record.get("correctanswer"))
        if_true = _quote((record.get("feedbacktrue") or {}).get("text", ""), "    ")
        if_false = _quote((record.get("feedbackfalse") or {}).get("text", ""), "    ")
        return [f"- [{'x' if right else ' '}] True", *if_true, f"- [{' ' if right else 'x'}] False", *if_false]
    if qtype == "shortanswer":
        return [line for a in record.get("answers", []) for line in
                [f"- {'' if float(a.get('fraction', 1)) == 1 else _percent(a['fraction'])}{a['text']}",
                 *_quote(a.get("feedback", ""), "    ")]]
    if qtype == "numerical":
        lines = []
        for a in record.get("answers", []):
            if str(a.get("answer")) == "*":
                continue  # Moodle's "any other answer" has no equivalent: its feedback goes with the general one
            tolerance = float(a.get("tolerance") or 0)
            weight = "" if float(a.get("fraction", 1)) == 1 else _percent(a["fraction"])
            lines += [f"- {weight}{float(a['answer']):g}" + (f" ± {tolerance:g}" if tolerance else ""),
                      *_quote(a.get("feedback", ""), "    ")]
        return lines
    if qtype == "match":
        return [f"- {' '.join(str(s.get('text', '')).split())} -> {s['answer']}".replace("-  ->", "- ->")
                for s in record.get("subquestions", [])]
    return []


def write_quiz_md(records, title):
    """A complete quiz file for `records`; category records are skipped."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", ""]
    for record in records:
        qtype = record.get("qtype")
        if qtype in (None, "category"):
            continue
        options = [] if qtype == "multichoice" and record.get("single", True) else \
            ["multiple"] if qtype == "multichoice" else [TYPE_OPTION[qtype]]
        points = record.get("defaultmark")
        if points not in (None, 1, 1.0) and qtype != "description":
            options.append(f"points={float(points):g}")
        lines += _heading(record, options)
        lines += _answer_lines(record)
        general = record.get("generalfeedback", "")
        catch_all = [a.get("feedback", "") for a in record.get("answers", []) if str(a.get("answer")) == "*"]
        feedback = "\n\n".join(text for text in [general, *catch_all] if str(text).strip())
        if feedback:
            lines += ["", *_quote(feedback)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
