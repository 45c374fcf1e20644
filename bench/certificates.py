"""Certificate rendering benchmark, as ratios measured in the same run (absolute times are noisy here).

    .venv/bin/python bench/certificates.py [--count 40]

Prints: the certificate render time as a multiple of a one-page WeasyPrint "hello" document rendered
with the same font configuration, and the speed-up of a process pool over serial rendering.
"""

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CONTEXT = {
    "learner_name": "Мария Петрова Иванова", "course_title": "Киберхигиена за служители в публичната администрация",
    "language": "bg", "hours": 2, "competences": ["4.1 Защита на устройствата", "4.2 Защита на личните данни"],
    "completed_on": date(2026, 11, 2), "issued_on": date(2026, 11, 3), "valid_until": date(2027, 11, 2),
    "code": "7Q2K-9XRT-4M1B-ZC8D-W5NE", "verify_url": "https://academy.example.eu/verify/7Q2K-9XRT-4M1B-ZC8D-W5NE",
    "issuer_name": "Cyber4All EDIH", "signatory_name": "Д-р Елена Георгиева", "signatory_title": "Директор",
    "platform_name": "Cyber4All Academy",
}
_app = None


def _init():
    global _app
    from app import create_app

    _app = create_app({"ACADEMY_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _render_certificate(_n=0):
    from app.certificates.pdf import render_pdf

    with _app.app_context(), _app.test_request_context():
        return len(render_pdf(CONTEXT))


def _render_hello():
    from weasyprint import HTML

    from app.certificates import pdf

    renderer = pdf._renderer()
    return len(HTML(string="<p>Hello</p>").write_pdf(font_config=renderer.font_config))


def _timed(function, count):
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=40)
    count = parser.parse_args().count
    _init()
    with _app.app_context():
        _render_certificate(), _render_hello()  # warm up fonts and templates
        hello = _timed(_render_hello, count)
        certificate = _timed(_render_certificate, count)
    print(f"certificate render / one-page hello: {certificate / hello:.1f}x  (median of {count})")
    start = time.perf_counter()
    for n in range(count):
        _render_certificate(n)
    serial = time.perf_counter() - start
    workers = max(2, (__import__("os").cpu_count() or 2))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_init) as pool:
        list(pool.map(_render_certificate, range(workers)))  # start and warm every worker
        start = time.perf_counter()
        list(pool.map(_render_certificate, range(count)))
        pooled = time.perf_counter() - start
    print(f"bulk speed-up of a pool of {workers} over serial: {serial / pooled:.2f}x  ({count} certificates)")


if __name__ == "__main__":
    main()
