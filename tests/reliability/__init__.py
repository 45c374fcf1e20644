"""Nothing lost: the platform's claims about faults, one module per claim, each test on SQLite and PostgreSQL.

- test_concurrent_submits: ten simultaneous submits of one attempt grade it once, complete once, certify once.
- test_killed_worker: a worker killed inside the grading transaction leaves the attempt in progress with its
  answers, no score, completion or certificate; the next submit grades once.
- test_database_outage: a database that stops (PostgreSQL) or stays locked (SQLite) gives a translated 503
  page; the same request, sent again when it is back, succeeds once. A query bug stays a 500.
- test_failed_import: an import failing at its last file (read error, or the database refusing its row)
  leaves the previous version published and served, and every table as it was.
- test_pdf_failure: a PDF rendering failure keeps the certificate valid, stores no broken file, tells the
  learner, and the next download renders and stores it.
- test_backup_restore: `flask backup` / `flask restore` bring back every row; restoring without --yes, a
  damaged or foreign file, or the other engine's backup is refused and changes nothing.
"""
