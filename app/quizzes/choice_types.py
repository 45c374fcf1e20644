"""Single choice, multiple response and true/false questions."""

import re

from flask_babel import lazy_gettext as _l

from app.quizzes.registry import NO_ANSWERS, QuestionType, register, split_weight

BOX = re.compile(r"^\[(?P<mark>[ xX])\]\s+(?P<text>.+)$")
TRUE_WORDS = {"true", "вярно", "yes", "да"}
FALSE_WORDS = {"false", "невярно", "no", "не"}


def parse_choices(raw, report):
    """[(correct, weight or None, text, feedback)] from `- [x] {50%} text` lines."""
    choices = []
    for answer in raw.answers:
        match = BOX.match(answer.text)
        if not match:
            report(answer.line, _l("a choice starts with '[x] ' (right) or '[ ] ' (wrong), e.g. - [x] Paris"))
            continue
        weight, text = split_weight(match["text"])
        if weight is not None and not -1 <= weight <= 1:
            report(answer.line, _l("a weight must be between -100% and 100%"))
        choices.append((match["mark"] != " ", weight, text.strip(), answer.feedback_text))
    return choices


@register
class SingleChoice(QuestionType):
    keywords = ("single",)
    qtype = "multichoice"

    def parse(self, raw, report):
        if not raw.answers:
            report(raw.line, NO_ANSWERS)
            return None
        choices = parse_choices(raw, report)
        result = [{"text": text, "fraction": weight if weight is not None else (1.0 if correct else 0.0),
                   "feedback": feedback} for correct, weight, text, feedback in choices]
        if len(result) < 2:
            report(raw.line, _l("a choice question needs at least two choices"))
        elif sum(1 for c, _w, _t, _f in choices if c) != 1 and not any(w is not None for _c, w, _t, _f in choices):
            report(raw.line, _l("mark exactly one choice with [x], or add {multiple} to the heading"))
        elif not any(abs(item["fraction"] - 1) < 1e-9 for item in result):
            report(raw.line, _l("one choice must be fully right (100%)"))
        return {"choices": result}

    def grade(self, key, response):
        try:
            return self.clamp(key["choices"][int(response)]["fraction"])
        except (TypeError, ValueError, IndexError):
            return 0.0

    def public(self, key):
        return {"choices": [item["text"] for item in key["choices"]]}

    def record(self, key):
        return {"single": True, "answers": [{"text": c["text"], "fraction": c["fraction"], "feedback": c["feedback"]}
                                            for c in key["choices"]]}


@register
class MultipleResponse(SingleChoice):
    """Several right choices. By default each right choice is worth an equal share and each wrong
    choice takes the same share away, so ticking everything earns nothing (Moodle's advice)."""

    keywords = ("multiple",)

    def parse(self, raw, report):
        if not raw.answers:
            report(raw.line, NO_ANSWERS)
            return None
        choices = parse_choices(raw, report)
        right = sum(1 for correct, _w, _t, _f in choices if correct) or 1
        result = [{"text": text, "feedback": feedback,
                   "fraction": weight if weight is not None else (1 / right if correct else -1 / right)}
                  for correct, weight, text, feedback in choices]
        positive = sum(item["fraction"] for item in result if item["fraction"] > 0)
        if len(result) < 2:
            report(raw.line, _l("a choice question needs at least two choices"))
        elif abs(positive - 1) > 0.01:
            report(raw.line, _l("the positive weights add up to %(sum)s%%; they must add up to 100%%",
                                sum=round(positive * 100, 2)))
        return {"choices": result}

    def grade(self, key, response):
        chosen = set()
        for value in response if isinstance(response, list | tuple) else []:
            try:
                chosen.add(int(value))
            except (TypeError, ValueError):
                continue
        choices = key["choices"]
        return self.clamp(sum(choices[i]["fraction"] for i in chosen if 0 <= i < len(choices)))

    def record(self, key):
        return {**super().record(key), "single": False}


@register
class TrueFalse(QuestionType):
    keywords = ("true-false",)
    qtype = "truefalse"

    def parse(self, raw, report):
        choices = parse_choices(raw, report)
        if len(choices) != 2 or sum(1 for c, _w, _t, _f in choices if c) != 1:
            report(raw.line, _l("a true/false question has exactly two choices, True and False, one marked [x]"))
            return None
        key = {}
        for correct, _weight, text, feedback in choices:
            word = text.strip().rstrip(".").casefold()
            if word in TRUE_WORDS:
                key["feedbacktrue"] = feedback
                if correct:
                    key["correct"] = True
            elif word in FALSE_WORDS:
                key["feedbackfalse"] = feedback
                if correct:
                    key["correct"] = False
            else:
                report(raw.line, _l("the choices of a true/false question are True and False (Вярно and Невярно)"))
                return None
        if "feedbacktrue" not in key or "feedbackfalse" not in key:
            report(raw.line, _l("a true/false question has exactly two choices, True and False, one marked [x]"))
            return None
        key["labels"] = [text for _c, _w, text, _f in choices]
        key["order"] = [text.strip().rstrip(".").casefold() in TRUE_WORDS for _c, _w, text, _f in choices]
        return key

    def grade(self, key, response):
        if response not in ("true", "false"):
            return 0.0
        return 1.0 if (response == "true") == key["correct"] else 0.0

    def public(self, key):
        return {"choices": [{"label": label, "value": "true" if is_true else "false"}
                            for label, is_true in zip(key["labels"], key["order"], strict=True)]}

    def record(self, key):
        return {"correctanswer": key["correct"], "feedbacktrue": {"text": key["feedbacktrue"]},
                "feedbackfalse": {"text": key["feedbackfalse"]}, "penalty": 1}
