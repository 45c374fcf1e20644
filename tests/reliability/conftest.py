"""Fixtures of the "nothing lost" suite: a course that certifies on completion and a signed-in learner."""

import pytest

from app.content import importer
from app.content.package import read_folder
from app.extensions import db
from tests.content import packages
from tests.reliability.steps import finish_lessons


@pytest.fixture
def course(app, tmp_path):
    """The test package (two lessons and a quiz; certificate issued automatically), published."""
    app.config["KEYS_FOLDER"] = str(tmp_path / "keys")
    importer.import_packages([read_folder(packages.write_folder(tmp_path / "package"))])
    db.session.commit()


@pytest.fixture
def learner(course, client, make_user, login):
    """A signed-in learner who has read both lessons, so passing the quiz completes the course."""
    user = make_user(email="maria@plovdiv.bg", full_name="Мария Иванова")
    login(user)
    finish_lessons(client)
    return user
