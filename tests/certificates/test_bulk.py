"""Bulk issue: a whole course at once, rendered in a process pool, one failure stops nothing."""

import io
import zipfile

from app.certificates import bulk
from app.certificates.models import BulkJob, Certificate
from app.content import importer
from app.content.models import Course
from app.content.package import read_folder
from app.extensions import db
from app.learning import services as learning
from tests.content import packages
from tests.helpers import submit


def _setup(app, tmp_path, make_user, learners=3):
    app.config["KEYS_FOLDER"] = str(tmp_path / "keys")
    front = packages.COURSE_MD.replace("  issue: auto\n", "  issue: staff\n")
    importer.import_packages([read_folder(packages.write_folder(
        tmp_path, contents=packages.files(course_dot_md=front, **{"03-check_dot_quiz_dot_md": None})))])
    db.session.commit()
    course = db.session.scalar(db.select(Course))
    for n in range(learners):
        user = make_user(full_name=f"Служител {n}")
        for lesson in ("passwords", "phishing"):
            learning.mark_complete(user, course, lesson)
        db.session.commit()
    return course, make_user(role="staff")


def test_bulk_issue_renders_every_pdf_into_one_zip(app, tmp_path, make_user):
    """Staff get a certificate for every learner of the course and all PDFs in a ZIP."""
    course, staff = _setup(app, tmp_path, make_user)
    job = bulk.start(course, staff)
    db.session.commit()
    bulk.run(job.id, processes=2)
    db.session.expire_all()
    job = db.session.get(BulkJob, job.id)
    assert job.state == "done" and job.done == 3 and job.failures == []
    with zipfile.ZipFile(io.BytesIO(job.archive)) as archive:
        names = archive.namelist()
        assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    assert all(c.pdf for c in db.session.scalars(db.select(Certificate)))


def test_one_failure_does_not_stop_the_others(app, tmp_path, make_user):
    """A certificate that cannot be rendered is reported; the rest are in the ZIP."""
    course, staff = _setup(app, tmp_path, make_user, learners=2)
    job = bulk.start(course, staff)
    job.certificate_ids = [*job.certificate_ids, 999999]
    db.session.commit()
    bulk.run(job.id, processes=1)
    db.session.expire_all()
    job = db.session.get(BulkJob, job.id)
    assert job.state == "done" and job.done == 3 and [f["id"] for f in job.failures] == [999999]
    assert len(zipfile.ZipFile(io.BytesIO(job.archive)).namelist()) == 2


def test_bulk_pages_for_staff(app, client, tmp_path, make_user):
    """Staff start a job from the page, follow its progress and download the ZIP."""
    course, staff = _setup(app, tmp_path, make_user, learners=1)
    submit(client, "/account/login", {"email": staff.email, "password": "correct horse battery"})
    assert "Certificates for a whole course" in client.get("/staff/certificates/bulk").get_data(as_text=True)
    response = submit(client, "/staff/certificates/bulk", {"course": str(course.id)})
    job_url = response.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    # The page started a background thread; wait for it like a browser polling the progress.
    import time

    for _ in range(120):
        if client.get(job_url + "?format=json").get_json()["state"] == "done":
            break
        time.sleep(0.5)
    assert client.get(job_url + "?format=json").get_json() == {"state": "done", "done": 1, "total": 1, "failed": 0}
    assert client.get(f"/staff/certificates/bulk/{job_id}.zip").mimetype == "application/zip"
    learner = app.test_client()
    submit(learner, "/account/login", {"email": make_user().email, "password": "correct horse battery"})
    assert learner.get(job_url).status_code == 403
