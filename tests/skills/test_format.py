"""The skills check format: the validator reports each mistake as path:line: message, and packages round-trip."""

import pytest
from flask_babel import force_locale

from app.content import importer
from app.content.package import read_folder
from app.content.problems import ValidationFailed
from app.content.validator import all_problems, validate_packages
from app.extensions import db
from app.skills.models import SkillsCheck
from tests.content import packages
from tests.skills.checks import CHECK_BG, CHECK_MD, COURSES, package


def problems(text, courses=("cyber-hygiene",), others=(), name="quick-check"):
    with force_locale("en"):
        parsed = validate_packages([package(text, name), *others], known_slugs=set(courses))
        return [str(problem) for problem in all_problems(parsed)]


def test_valid_check_has_no_problems(bare_app):
    """A hand-written check with two areas, a Courses: line and a translation passes."""
    assert problems(CHECK_MD) == []
    assert problems(CHECK_MD, others=[package(CHECK_BG, "barza-proverka")]) == []


def test_shipped_checks_validate_with_the_shipped_courses(bare_app, runner):
    """`flask courses validate courses/` accepts the shipped courses and skills checks together."""
    result = runner.invoke(args=["courses", "validate", str(COURSES)])
    assert result.exit_code == 0, result.output
    assert "skills-check-public-servants" in result.output and "proverka-na-umeniyata" in result.output


def test_shipped_check_covers_every_area_in_both_languages(bare_app):
    """The shipped check covers all five DigComp areas with 20+ statements, in English and Bulgarian."""
    from app.content.package import find_packages, read_package

    parsed = {p.slug: p for p in validate_packages([read_package(path) for path in find_packages(COURSES)])
              if p.kind == "skills-check"}
    english, bulgarian = parsed["skills-check-public-servants"], parsed["proverka-na-umeniyata"]
    for check in (english, bulgarian):
        assert {area["id"] for area in check.body.areas} == {"1", "2", "3", "4", "5"}
        assert sum(len(comp["statements"]) for comp in check.body.competences()) >= 20
    assert bulgarian.front.data["translation_of"] == english.slug
    assert english.competence_ids() == bulgarian.competence_ids()


@pytest.mark.parametrize("text, expected", [
    (CHECK_MD.replace("### 4.1\n", "### 4.9\n"),
     "quick-check/course.md:18: '4.9' is not a DigComp 2.2 competence"),
    (CHECK_MD.replace("## 4 Safety", "## 7 Safety"),
     "quick-check/course.md:16: '7' is not a DigComp area"),
    (CHECK_MD.replace("### 4.1\n", "### 1.3\n"),
     "quick-check/course.md:18: competence 1.3 belongs to area 1, not to area 4"),
    (CHECK_MD.replace("- I lock my computer.\n- I install updates.\n", ""),
     "quick-check/course.md:18: competence 4.1 has no statements to rate"),
    (CHECK_MD.replace("- I install updates.", "- I lock my  Computer."),
     "quick-check/course.md:21: the same statement is already on line 20"),
    (CHECK_MD.replace("Courses: cyber-hygiene", "Courses: no-such-course"),
     "quick-check/course.md:19: the course 'no-such-course' is not a known course"),
    (CHECK_MD.replace("Courses: cyber-hygiene", "Courses: Not A Slug!"),
     "quick-check/course.md:19: 'Courses:' takes course slugs separated by commas"),
    (CHECK_MD.replace("summary: Four statements.\n", "summary: S.\nscale: [Only one]\n"),
     "quick-check/course.md:6: the scale must be a list of 2 to 7 levels"),
    (CHECK_MD.replace("summary: Four statements.\n", "summary: S.\nscale: [Low, low]\n"),
     "quick-check/course.md:6: two levels of the scale have the same text"),
    (CHECK_MD.replace("summary: Four statements.\n", "summary: S.\ntarget: 9\n"),
     "quick-check/course.md:6: the target must be a whole number from 1 to 4"),
    (CHECK_MD.replace("summary: Four statements.\n", "summary: S.\ntranslation_of: nothing-here\n"),
     "quick-check/course.md:6: translation_of names 'nothing-here', which is not another known skills check"),
    (CHECK_MD.replace("title: Quick check\n", ""), "quick-check/course.md:1: the required key 'title' is missing"),
    (CHECK_MD.replace("summary: Four statements.\n", "summary: S.\nhours: 2\n"),
     "quick-check/course.md:6: unknown key 'hours'"),
    (CHECK_MD.replace("Answer honestly.\n\n## 1 Information and data literacy\n", "Answer honestly.\n"),
     "quick-check/course.md:10: a competence needs its area above it"),
    (CHECK_MD.replace("- I lock my computer.", "Just some words."),
     "quick-check/course.md:20: this line is not part of a skills check"),
    (CHECK_MD.replace("## 4 Safety\n\n### 4.1\nCourses: cyber-hygiene\n- I lock my computer.\n- I install updates.\n",
                      "## 4 Safety\n"),
     "quick-check/course.md:16: area 4 has no competences"),
    ("---\ntype: skills-check\ntitle: T\nlanguage: en\nsummary: S.\n---\n\nOnly an intro.\n",
     "quick-check/course.md:1: the skills check has no areas"),
])
def test_each_mistake_is_reported_with_its_line(bare_app, text, expected):
    """A trainer sees each mistake as path:line: message, pointing at the line to fix."""
    found = problems(text)
    assert any(problem.startswith(expected) for problem in found), found


def test_translation_must_differ_in_language_and_match_competences(bare_app):
    """A translation in the same language, or rating other competences, is refused on its translation_of line."""
    same_language = CHECK_BG.replace("language: bg", "language: en")
    assert any("must be in another language" in p
               for p in problems(same_language, name="barza-proverka", others=[package(CHECK_MD)]))
    fewer = CHECK_BG.split("## 4")[0]
    assert any("must rate the same competences as 'quick-check'" in p
               for p in problems(fewer, name="barza-proverka", others=[package(CHECK_MD)]))


def test_slug_clash_with_a_course_and_stray_files_are_refused(bare_app):
    """A check may not take a course's slug, and holds only course.md."""
    found = problems(CHECK_MD, courses=("cyber-hygiene", "quick-check"))
    assert any("a course already has the slug 'quick-check'" in p for p in found)
    stray = validate_packages([package(CHECK_MD, extra={"01-lesson.md": b"x"})], {"cyber-hygiene"})
    assert [str(p) for p in all_problems(stray)] == [
        "quick-check/01-lesson.md:1: a skills check package holds only course.md"]


def test_unknown_package_type_is_reported(bare_app):
    """A course.md with a type nobody handles says which types exist."""
    text = packages.COURSE_MD.replace("title: Cyber hygiene\n", "title: Cyber hygiene\ntype: survey\n")
    found = problems(text, name="cyber-hygiene")
    assert any("unknown package type 'survey'; the types are: course, skills-check" in p for p in found)


def test_import_is_idempotent_and_export_round_trips(app, runner, tmp_path):
    """Import creates the check, an unchanged re-import changes nothing, and export gives the same file back."""
    folder = tmp_path / "src" / "quick-check"
    folder.mkdir(parents=True)
    (folder / "course.md").write_text(CHECK_MD, encoding="utf-8")
    course = packages.write_folder(tmp_path / "src")
    first = runner.invoke(args=["courses", "import", str(course), str(folder)])
    assert "quick-check: created (version 1, published)" in first.output, first.output
    again = runner.invoke(args=["courses", "import", str(folder)])
    assert "quick-check: unchanged (version 1, published)" in again.output
    exported = runner.invoke(args=["courses", "export", "quick-check", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "out" / "quick-check" / "course.md").read_text(encoding="utf-8") == CHECK_MD
    back = runner.invoke(args=["courses", "import", str(tmp_path / "out" / "quick-check")])
    assert "quick-check: unchanged" in back.output
    changed = folder / "course.md"
    changed.write_text(CHECK_MD.replace("- I install updates.", "- I install updates on time."), encoding="utf-8")
    assert "quick-check: new version (version 2" in runner.invoke(args=["courses", "import", str(folder)]).output


def test_nothing_is_imported_when_any_package_has_a_problem(app, tmp_path):
    """A broken check next to a good course: the import fails whole and writes nothing."""
    broken = package(CHECK_MD.replace("### 4.1\n", "### 4.9\n"))
    with pytest.raises(ValidationFailed) as failed:
        importer.import_packages([read_folder(packages.write_folder(tmp_path)), broken])
    db.session.rollback()
    assert any("4.9" in str(problem) for problem in failed.value.problems)
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsCheck)) == 0


def test_validate_command_prints_path_line_message_and_fails(app, runner, tmp_path):
    """`flask courses validate` on a broken check prints path:line: message and exits 1."""
    folder = tmp_path / "quick-check"
    folder.mkdir()
    (folder / "course.md").write_text(CHECK_MD.replace("Courses: cyber-hygiene", "Courses: gone"), encoding="utf-8")
    result = runner.invoke(args=["courses", "validate", str(folder), "--lang", "en"])
    assert result.exit_code == 1
    assert "quick-check/course.md:19: the course 'gone' is not a known course" in result.output


def test_studio_refuses_a_skills_check_upload(app, client, make_user, login):
    """A trainer uploading a skills check in the studio is told to ask staff; nothing is imported."""
    from tests.helpers import submit

    login(make_user(role="trainer"))
    data = packages.zip_bytes({"course.md": CHECK_MD}, top="quick-check")
    import io
    response = submit(client, "/trainer/upload", {"package": (io.BytesIO(data), "quick-check.zip")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "is not a course" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(SkillsCheck)) == 0
