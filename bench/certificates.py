"""Certificate rendering benchmark (issue #10, item 4), as ratios measured in the same run.

    .venv/bin/python bench/certificates.py [--count 200] [--renders 1000] [--samples 40]

Seeds a fresh SQLite database with the shipped Bulgarian course and `count` learners holding real
certificates, then measures:
(a) one certificate as the app renders it (app.certificates.documents.render: QR code, PDF/A-3b, tagged,
    the signed Open Badges credential attached) against a one-page WeasyPrint document with the same
    fonts, font configuration and stylesheet, rendered in the same process (medians of CPU time,
    sampled alternately);
(b) `count` certificates rendered by the bulk issue's process pool (app.certificates.bulk.render_pool,
    one worker per core, started and warmed first) against the same certificates rendered serially;
(c) the resident memory (VmRSS) of one pool worker before and after `renders` more renders, after warm-up.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, at_least, at_most, create_app_for, database

COURSE = ROOT / "courses" / "kiberhigiena"
ENGLISH = ROOT / "courses" / "cyber-hygiene"  # the Bulgarian course is its translation
SINGLE_GOAL, SPEEDUP_GOAL, MEMORY_GOAL_MB = 4.0, 1.8, 50.0
WARM_UP = 5  # renders before timing: templates compiled, fonts loaded, contexts parsed
MEMORY_WARM_UP = 30  # renders before the first memory reading: caches filled
# The ceiling: one page of text in every face the certificate uses (DejaVu Sans regular and bold, Serif
# regular, bold and italic, Sans Mono bold), so both documents embed the same fonts.
HELLO = """<!DOCTYPE html><html lang="bg"><head><meta charset="utf-8"><title>Сертификат</title></head><body>
<h1 class="award__kind">Сертификат</h1><p class="award__name">Мария Петрова</p>
<p class="award__phrase">успешно завърши</p><p class="award__hours">2 часа, Hello</p>
<p>Hello, свят.</p><p class="verify__code"><span class="code">7Q2K-9XRT</span></p></body></html>"""
FIRST_NAMES = ("Мария", "Георги", "Елена", "Иван", "Десислава", "Николай", "Йорданка", "Петър")
LAST_NAMES = ("Петрова Иванова", "Димитров Стоянов", "Георгиева-Тодорова", "Христов", "Атанасова")


def seed(app, count):
    """The shipped Bulgarian course and `count` learners with a certificate each; returns their ids."""
    from app.accounts.services import create_user
    from app.certificates import services
    from app.content import importer, package
    from app.content.models import Course
    from app.extensions import db

    with app.app_context():
        importer.import_packages([package.read_package(ENGLISH), package.read_package(COURSE)])
        course = db.session.scalar(db.select(Course).where(Course.slug == COURSE.name))
        ids = []
        for n in range(count):
            name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[n % len(LAST_NAMES)]}"
            user = create_user(f"learner{n}@bench.example.bg", name)
            db.session.flush()
            ids.append(services.issue(user, course, course.current_version, date(2026, 11, 2)).id)
        db.session.commit()
        return ids


def render_certificate(certificate_id):
    """What a learner's download renders the first time (inside an app context); returns its size."""
    from app.certificates import documents
    from app.certificates.models import Certificate
    from app.extensions import db

    return len(documents.render(db.session.get(Certificate, certificate_id)))


def render_hello():
    """The ceiling: a one-page document with the certificate's fonts, font configuration and stylesheet."""
    from app.certificates import pdf

    renderer = pdf._renderer()
    document = renderer.weasyprint.HTML(string=HELLO)
    return len(document.write_pdf(stylesheets=[renderer.css], font_config=renderer.font_config))


def _timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _cpu_timed(function, *args):
    # CPU time of this process: the same work costs the same while other programs share the cores.
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def single(app, ids, samples):
    """Goal (a): median certificate CPU time over median one-page CPU time, sampled alternately."""
    hello, certificate = [], []
    with app.app_context():
        for n in range(WARM_UP):
            render_hello(), render_certificate(ids[n % len(ids)])
        for n in range(samples):
            hello.append(_cpu_timed(render_hello))
            certificate.append(_cpu_timed(render_certificate, ids[n % len(ids)]))
    certificate, hello = statistics.median(certificate), statistics.median(hello)
    detail = f"certificate {certificate * 1000:.0f} ms, one page {hello * 1000:.0f} ms of CPU"
    return at_most(f"one certificate / one-page WeasyPrint document ({detail})", certificate / hello, SINGLE_GOAL, "x")


def speedup(app, ids, workers):
    """Goal (b): the bulk pool against serial rendering of the same certificates."""
    from app.certificates import bulk

    with app.app_context():
        serial = _timed(lambda: [render_certificate(certificate_id) for certificate_id in ids])
        with bulk.render_pool(workers) as pool:
            list(pool.map(bulk.render_one, ids[:workers * 3]))  # start and warm every worker
            start = time.perf_counter()
            failures = [error for _id, _data, error in pool.map(bulk.render_one, ids) if error]
            pooled = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"the pool failed to render: {failures[:3]}")
    name = f"bulk render of {len(ids)}: serial / pool of {workers} ({serial:.1f} s / {pooled:.1f} s)"
    return at_least(name, serial / pooled, SPEEDUP_GOAL, "x")


def rss_mb():
    """This process's resident memory in MB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def memory_probe(ids, renders):
    """In a pool worker: (RSS after warm-up, RSS after `renders` more renders), in MB."""
    from app.certificates import bulk

    for n in range(MEMORY_WARM_UP):
        bulk.render_one(ids[n % len(ids)])
    before = rss_mb()
    for n in range(renders):
        bulk.render_one(ids[n % len(ids)])
    return before, rss_mb()


def memory(app, ids, renders):
    """Goal (c): one worker's memory growth over `renders` renders."""
    from app.certificates import bulk

    with app.app_context(), bulk.render_pool(1) as pool:
        before, after = pool.submit(memory_probe, ids, renders).result()
    name = f"worker memory growth over {renders} renders ({before:.0f} MB -> {after:.0f} MB)"
    return at_most(name, after - before, MEMORY_GOAL_MB, " MB")


def run(count=200, renders=1000, samples=40):
    """Seed, then measure the three goals; returns their Result lines."""
    workers = max(2, os.cpu_count() or 2)
    keys = tempfile.mkdtemp(prefix="academy-bench-keys-")
    try:
        with database("sqlite") as url:
            app = create_app_for(url)
            app.config["KEYS_FOLDER"] = keys
            ids = seed(app, count)
            results = [single(app, ids, samples), speedup(app, ids, workers), memory(app, ids, renders)]
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()
    finally:
        shutil.rmtree(keys, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="certificates in the bulk render")
    parser.add_argument("--renders", type=int, default=1000, help="renders in the memory check")
    parser.add_argument("--samples", type=int, default=40, help="samples of each document in (a)")
    options = parser.parse_args()
    for result in run(options.count, options.renders, options.samples):
        print(result.line(), flush=True)


if __name__ == "__main__":
    main()
