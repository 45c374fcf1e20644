"""Signals the content package sends to the packages above it."""

from blinker import Namespace

_signals = Namespace()

#: Sent with `version=` after a version became the one learners get (inside the transaction).
version_published = _signals.signal("version-published")
