"""Short answer, numeric, matching, essay and description questions."""

import re
from abc import abstractmethod

from flask_babel import lazy_gettext as _l

from app.quizzes.registry import NO_ANSWERS, QuestionType, register, split_weight

NUMBER = r"-?\d+(?:[.,]\d+)?"
TOLERANCE = re.compile(rf"^(?P<value>{NUMBER})\s*(?:(?:±|\+-|\+/-)\s*(?P<tolerance>{NUMBER}))?$")
RANGE = re.compile(rf"^(?P<low>{NUMBER})\s*\.\.\s*(?P<high>{NUMBER})$")
PAIR = re.compile(r"^(?P<left>.*?)\s*->\s*(?P<right>.+)$")


def _number(text):
    return float(text.replace(",", "."))


def normalise(text, case_sensitive=False):
    """Trim and collapse spaces; fold case unless the question is case-sensitive."""
    text = " ".join(str(text).split())
    return text if case_sensitive else text.casefold()


class _AcceptedAnswers(QuestionType):
    """Types graded by the first accepted answer that matches: the best listed credit wins in order."""

    @abstractmethod
    def matching_answer(self, key, response):
        """The accepted answer the response matches, or None."""

    @abstractmethod
    def read_answer(self, line, text, report):
        """The type's own fields of one `- ...` answer (weight removed), or None after reporting."""

    def parse(self, raw, report):
        """Each answer line with its weight (100% by default) and feedback."""
        if not raw.answers:
            report(raw.line, NO_ANSWERS)
            return None
        answers = []
        for answer in raw.answers:
            weight, text = split_weight(answer.text)
            fields = self.read_answer(answer.line, text.strip(), report)
            if fields is not None:
                answers.append({**fields, "fraction": 1.0 if weight is None else weight,
                                "feedback": answer.feedback_text})
        return {"answers": answers, **self.options(raw)}

    def options(self, raw):
        """Settings of the whole question taken from its heading options."""
        return {}

    def grade(self, key, response):
        answer = self.matching_answer(key, response)
        return self.clamp(answer["fraction"]) if answer else 0.0


@register
class ShortAnswer(_AcceptedAnswers):
    keywords = ("short",)
    qtype = "shortanswer"
    free_text = True

    def read_answer(self, line, text, report):
        if not text:
            report(line, _l("an accepted answer cannot be empty"))
        return {"text": text}

    def options(self, raw):
        return {"case_sensitive": "case-sensitive" in re.split(r"[\s,]+", raw.options)}

    def matching_answer(self, key, response):
        """The first accepted answer that matches the response ('*' matches any text), or None."""
        given = normalise(response or "", key["case_sensitive"])
        if not given:
            return None
        for answer in key["answers"]:
            pattern = ".*".join(re.escape(part) for part in normalise(answer["text"], key["case_sensitive"]).split("*"))
            if re.fullmatch(pattern, given, flags=re.DOTALL):
                return answer
        return None

    def record(self, key):
        return {"answers": [{"text": a["text"], "fraction": a["fraction"], "feedback": a["feedback"]}
                            for a in key["answers"]]}


@register
class Numeric(_AcceptedAnswers):
    keywords = ("numeric",)
    qtype = "numerical"

    def read_answer(self, line, text, report):
        tolerance, span = TOLERANCE.match(text), RANGE.match(text)
        if tolerance:
            value, margin = _number(tolerance["value"]), _number(tolerance["tolerance"] or "0")
        elif span:
            low, high = sorted((_number(span["low"]), _number(span["high"])))
            value, margin = (low + high) / 2, (high - low) / 2
        else:
            report(line, _l("write a number, a number ± tolerance (e.g. 40 ± 2) or a range (e.g. 38..42)"))
            return None
        return {"answer": value, "tolerance": abs(margin)}

    def matching_answer(self, key, response):
        """The first answer whose range contains the response; commas count as decimal points."""
        try:
            given = _number(str(response).strip().replace(" ", ""))
        except (TypeError, ValueError):
            return None
        return next((a for a in key["answers"] if abs(given - a["answer"]) <= a["tolerance"] + 1e-9), None)

    def record(self, key):
        return {"answers": [dict(a) for a in key["answers"]]}


@register
class Matching(QuestionType):
    keywords = ("matching",)
    qtype = "match"

    def parse(self, raw, report):
        pairs = []
        for answer in raw.answers:
            match = PAIR.match(answer.text)
            if not match:
                report(answer.line, _l("write each pair as 'item -> match', e.g. - Phishing -> A fake message"))
                continue
            pairs.append({"text": match["left"].strip(), "answer": match["right"].strip()})
        if sum(1 for pair in pairs if pair["text"]) < 2:
            report(raw.line, _l("a matching question needs at least two pairs"))
        return {"pairs": pairs}

    def grade(self, key, response):
        questions = [pair for pair in key["pairs"] if pair["text"]]
        response = response if isinstance(response, dict) else {}
        right = sum(1 for index, pair in enumerate(questions)
                    if normalise(response.get(str(index), "")) == normalise(pair["answer"]))
        return right / len(questions) if questions else 0.0

    def public(self, key):
        options = sorted({pair["answer"] for pair in key["pairs"]}, key=str.casefold)
        return {"items": [pair["text"] for pair in key["pairs"] if pair["text"]], "options": options}

    def record(self, key):
        return {"subquestions": [dict(pair) for pair in key["pairs"]]}


@register
class Essay(QuestionType):
    keywords = ("essay",)
    qtype = "essay"
    gradable = False  # a trainer grades it
    free_text = True

    def parse(self, raw, report):
        if raw.answers:
            report(raw.answers[0].line, _l("an essay question has no answers; put guidance in the feedback"))
        return {}

    def grade(self, key, response):
        return None


@register
class Description(Essay):
    keywords = ("description",)
    qtype = "description"
    scored = False

    def parse(self, raw, report):
        if raw.answers:
            report(raw.answers[0].line, _l("a description has no answers"))
        return {}
