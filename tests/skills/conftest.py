"""Fixtures for the skills check tests: the shipped content, or a small check with one course."""

import pytest

from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from app.skills.models import SkillsCheck
from tests.content import packages
from tests.skills.checks import CHECK_MD, import_shipped, package


@pytest.fixture
def shipped(app):
    """The shipped courses and skills checks, imported and published."""
    return import_shipped()


@pytest.fixture
def quick_check(app, tmp_path):
    """A four-statement check (1.2 and 4.1) and the small cyber-hygiene course it recommends."""
    importer.import_packages([read_folder(packages.write_folder(tmp_path)), package(CHECK_MD)])
    db.session.commit()
    return db.session.scalar(db.select(SkillsCheck).where(SkillsCheck.slug == "quick-check"))
