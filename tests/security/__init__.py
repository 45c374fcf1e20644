"""Security claims, one module per area; each test's docstring names the attack, the expectation and the
OWASP ASVS 5.0 requirement. Claims tested next to their feature are listed here too.

- test_access_control: every route from the URL map, GET and POST, as seven kinds of user; another
  learner's attempt, certificate or PDF is refused (V8.2.1, V8.2.2, V8.3.1).
- test_mass_assignment: role, score, passed, state, user_id, owner_id smuggled into forms or API bodies
  change nothing (V15.3.3).
- test_injection: one payload list (tests/data/xss_payloads.txt plus template injection) in names,
  organisations, cohorts, flash messages and e-mails, every page parsed for runnable markup; SQL
  metacharacters, wildcards and NUL in every search and filter (V1.2.1, V1.2.4, V3.2.2).
  Also: tests/content/test_rendering.py (Markdown sanitiser), tests/certificates/test_pdf.py (hostile
  names in PDFs, fetches refused), tests/test_mail.py (mail header injection).
- test_download_names: hostile download names give one safe Content-Disposition; formula cells in
  CSV/XLSX are neutralised (V1.2.10, V3.2.1).
- test_sessions: stolen session and remember cookies die at logout, password change (here or elsewhere),
  reset and deactivation; open-redirect payloads on sign-in and the language switch (V7.4.1, V7.4.3, V3.7.2).
  Also: tests/accounts/test_password_reset.py (single-use, expiring reset links; Host header poisoning;
  TRUSTED_HOSTS), tests/accounts/test_throttling.py (per account and per address; spoofed X-Forwarded-For),
  tests/test_app.py (security headers, cookie flags, CSRF).
- test_scale_out: two gunicorn servers on one PostgreSQL and one Redis: throttling counts across servers
  and workers; invented X-Forwarded-For entries do not escape the address limit (V6.3.1).
- test_files: uploads judged by content (disguised files, SVG with scripts), hostile archives and
  oversized requests save nothing, assets and static files carry their type and nosniff (V5.2, V5.3,
  V3.4.4). Also: tests/content/test_package.py (zip bombs, lying sizes, traversal, symlinks, file count).
- tests/test_dependency_audit.py and `make audit` in CI: known vulnerabilities in the locked dependency
  set fail the build (V15.2.1).
"""
