"""Cohorts: groups of learners with courses, a trainer and dates; bulk enrolment from CSV; progress matrix."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__, template_folder="templates")

from app.cohorts import models, privacy, routes  # noqa: E402,F401
