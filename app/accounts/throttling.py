"""Throttling of failed logins and reset requests, in Flask-Limiter's shared storage.

Only failures count, so a busy office behind one NAT address is not locked out by
its own successful logins. Per account the limit is strict (it stops guessing one
password); per address it is generous (it stops one machine spraying many accounts).
"""

import hashlib
import time

from flask import current_app
from limits import parse
from limits.strategies import MovingWindowRateLimiter

from app.extensions import limiter


class Throttled(Exception):
    """Too many failures; `retry_after` is the number of seconds to wait."""

    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))


def _strategy():
    """The moving-window limiter on Flask-Limiter's storage, or None when rate limiting is off."""
    if limiter.storage is None or not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    strategy = current_app.extensions.get("academy_throttle")
    if strategy is None or strategy.storage is not limiter.storage:
        strategy = MovingWindowRateLimiter(limiter.storage)
        current_app.extensions["academy_throttle"] = strategy
    return strategy


def _account_key(email):
    # Hash so that addresses are not kept in the rate-limit store (it may be a shared Redis).
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _checks(email, address):
    config = current_app.config
    checks = [(parse(config["LOGIN_FAILURES_PER_ADDRESS"]), "login-address", address or "-")]
    if email:
        checks.append((parse(config["LOGIN_FAILURES_PER_ACCOUNT"]), "login-account", _account_key(email)))
    return checks


def check_login_allowed(email, address):
    """Raise Throttled when this account or address has failed too often recently."""
    strategy = _strategy()
    for limit, scope, key in _checks(email, address) if strategy else ():
        if not strategy.test(limit, scope, key):
            reset_at, _remaining = strategy.get_window_stats(limit, scope, key)
            raise Throttled(reset_at - time.time())


def record_login_failure(email, address):
    """Count one failed login against the account and the address."""
    strategy = _strategy()
    for limit, scope, key in _checks(email, address) if strategy else ():
        strategy.hit(limit, scope, key)


def clear_login_failures(email):
    """Forget an account's failures after a successful login or password reset."""
    strategy = _strategy()
    if strategy:
        strategy.clear(parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"]), "login-account", _account_key(email))


def hit_reset_request(address):
    """Count a password-reset request from `address`; raise Throttled past the limit."""
    limit = parse(current_app.config["RESET_REQUESTS_PER_ADDRESS"])
    strategy = _strategy()
    if strategy and not strategy.hit(limit, "reset-address", address or "-"):
        reset_at, _remaining = strategy.get_window_stats(limit, "reset-address", address or "-")
        raise Throttled(reset_at - time.time())

