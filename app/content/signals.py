"""Signals the content package sends to the packages above it."""

from blinker import Namespace

_signals = Namespace()

#: Sent with `version=` after a version became the one learners get (inside the transaction).
version_published = _signals.signal("version-published")

#: Sent with `version=` and `parsed=` (the validated package) when a version has been created,
#: so higher packages can build what they derive from its files (the quiz engine does).
version_created = _signals.signal("version-created")
