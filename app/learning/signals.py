"""Signals the learning package sends to the packages above it (certificates subscribe)."""

from blinker import Namespace

_signals = Namespace()

#: Sent once per completion, inside the transaction that records it, with
#: `user_id=`, `course=`, `version=` and `completion=`. A receiver flushes, never commits.
course_completed = _signals.signal("course-completed")
