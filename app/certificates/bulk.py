"""Bulk issue: certificates for every completed learner of a course, rendered in a process pool.

WeasyPrint must not share its font configuration between threads, so rendering happens in
separate processes (one per core), each with its own app. One failure never stops the others:
it is recorded on the job and the ZIP holds every PDF that rendered.
"""

import io
import os
import threading
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from flask import current_app

from app.certificates import documents, keys, services
from app.certificates.models import BulkJob, Certificate
from app.content.models import Course
from app.extensions import db
from app.learning.models import Completion
from app.timeutil import utcnow

_WORKER_CONFIG_KEYS = ("ACADEMY_ENV", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "SERVER_URL", "KEYS_FOLDER",
                       "HUB_NAME", "PLATFORM_NAME", "SIGNATORY_NAME", "SIGNATORY_TITLE", "BRAND_LOGO",
                       "HUB_NAME_BG", "SIGNATORY_NAME_BG", "SIGNATORY_TITLE_BG")
_worker_app = None


def start(course, staff, learners=None):
    """Issue a certificate to every learner who completed `course` and has none; returns the job.

    `learners`, a select of user ids (e.g. a cohort's members), limits the job to those people.
    """
    latest = {}
    statement = db.select(Completion).where(Completion.course_id == course.id).order_by(Completion.completed_at)
    if learners is not None:
        statement = statement.where(Completion.user_id.in_(learners))
    for completion in db.session.scalars(statement):
        latest[completion.user_id] = completion
    ids = []
    for completion in latest.values():
        certificate = services.current_certificate(completion.user_id, course.id, completion.version_id)
        if certificate is None:
            certificate = services.issue_from_completion(completion, issued_by=staff)
        ids.append(certificate.id)
    job = BulkJob(created_by_id=staff.id, course_id=course.id, certificate_ids=ids)
    db.session.add(job)
    db.session.flush()
    return job


def run_in_background(app, job_id):
    """Run the job in a thread of this process (the pool's processes do the rendering)."""
    def target():
        with app.app_context():
            run(job_id)

    thread = threading.Thread(target=target, name=f"bulk-job-{job_id}", daemon=True)
    thread.start()
    return thread


def run(job_id, processes=None):
    """Render every certificate of the job, store the PDFs and build the ZIP."""
    job = db.session.get(BulkJob, job_id)
    job.state = "running"
    db.session.commit()
    keys.current_key()  # create the signing key here, before the workers need it
    workers = processes or max(1, min(os.cpu_count() or 1, len(job.certificate_ids)))
    results = {}
    with render_pool(workers) as pool:
        futures = [pool.submit(render_one, certificate_id) for certificate_id in job.certificate_ids]
        for future in as_completed(futures):
            certificate_id, data, error = future.result()
            results[certificate_id] = data
            if error:
                job.failures = [*job.failures, {"id": certificate_id, "error": error[:300]}]
            job.done += 1
            db.session.commit()  # the progress page reads this
    _finish(job, results)


def _finish(job, results):
    version = documents.template_version()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in db.session.scalars(db.select(Certificate).where(Certificate.id.in_(job.certificate_ids))):
            data = results.get(certificate.id)
            if data:
                certificate.pdf, certificate.pdf_template = data, version
                archive.writestr(f"{certificate.code}-{documents.download_name(certificate)}", data)
    job.archive, job.state, job.finished_at = buffer.getvalue(), "done", utcnow()
    db.session.commit()


def render_pool(workers):
    """A pool of `workers` new processes (spawned, not forked), each with its own app bound to this database."""
    config = {key: current_app.config.get(key) for key in _WORKER_CONFIG_KEYS}
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=_init_worker, initargs=(config,))


def _init_worker(config):
    global _worker_app
    from app import create_app

    _worker_app = create_app(dict(config))


def render_one(certificate_id):
    """(id, pdf bytes or None, error or None), in a worker process of render_pool."""
    try:
        with _worker_app.app_context():
            certificate = db.session.get(Certificate, certificate_id)
            return certificate_id, documents.render(certificate), None
    except Exception as error:  # reported on the job; the other certificates go on
        return certificate_id, None, f"{type(error).__name__}: {error}"


def course_choices():
    """Courses with at least one completion, for the bulk form."""
    return db.session.scalars(db.select(Course).where(Course.id.in_(db.select(Completion.course_id)))
                              .order_by(Course.slug)).all()
