"""Reading packages from zips: safe against path tricks, symlinks, bombs and junk."""

import io
import stat
import zipfile

import pytest

from app.content.package import MAX_FILES, PackageError, read_folder, read_zip
from tests.content import packages


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, *mode in entries:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode:
                info.external_attr = mode[0] << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def test_zip_with_top_folder_reads_like_the_folder(bare_app, tmp_path):
    """A package zipped as a folder reads with the folder's name as its slug."""
    package = read_zip(packages.zip_bytes(), "upload.zip")
    folder = read_folder(packages.write_folder(tmp_path))
    assert package.name == "cyber-hygiene"
    assert package.files == folder.files


def test_zip_without_top_folder_takes_the_archive_name(bare_app):
    """Files at the root of the zip are read; the zip's name is the slug."""
    package = read_zip(packages.zip_bytes(top=None), "gdpr-basics.zip")
    assert package.name == "gdpr-basics" and "course.md" in package.files


@pytest.mark.parametrize("name, message", [
    ("../evil.md", "paths with '..' are not allowed"),
    ("pkg/../../etc/passwd", "paths with '..' are not allowed"),
    ("/etc/passwd", "absolute paths are not allowed"),
    ("C:/Windows/evil.md", "absolute paths are not allowed"),
    ("pkg\\..\\evil.md", "absolute paths are not allowed"),
])
def test_path_tricks_are_refused_naming_the_member(bare_app, name, message):
    """An archive member that would escape the package is refused, and the error names it."""
    with pytest.raises(PackageError) as error:
        read_zip(_zip([("course.md", "x"), (name, "x")]), "upload.zip")
    assert error.value.path == name and message in str(error.value.message)


def test_symlinks_are_refused(bare_app):
    """A symbolic link inside an archive is refused."""
    with pytest.raises(PackageError) as error:
        read_zip(_zip([("course.md", "x"), ("link", "/etc/passwd", stat.S_IFLNK | 0o777)]), "upload.zip")
    assert error.value.path == "link" and "symbolic links" in str(error.value.message)


def test_too_many_files_are_refused(bare_app):
    """An archive with thousands of tiny files is refused before it is read."""
    entries = [(f"assets/{n}.txt", "x") for n in range(MAX_FILES + 1)]
    with pytest.raises(PackageError, match="at most"):
        read_zip(_zip(entries), "upload.zip")


def test_zip_bomb_is_refused(bare_app):
    """A small archive that inflates beyond the size limit is refused."""
    bomb = _zip([("assets/zeros.txt", b"\0" * (21 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(PackageError) as error:
        read_zip(bomb, "upload.zip")
    assert error.value.path == "assets/zeros.txt"


def test_lying_size_header_is_caught(bare_app):
    """A member whose header understates its size cannot slip past the limit."""
    data = bytearray(_zip([("assets/a.txt", b"A" * 5000)]))
    # Patch the central directory's uncompressed size to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(PackageError):
        read_zip(bytes(data), "upload.zip")


def test_not_a_zip_is_explained(bare_app):
    """A renamed Word file or garbage gets a clear message."""
    with pytest.raises(PackageError, match=r"not a readable \.zip"):
        read_zip(b"this is not a zip", "course.zip")


def test_junk_from_operating_systems_is_ignored(bare_app):
    """__MACOSX folders, .DS_Store and hidden files do not count as package files."""
    package = read_zip(_zip([("pkg/course.md", "x"), ("__MACOSX/pkg/._course.md", "x"), ("pkg/.DS_Store", "x"),
                             ("pkg/.git/config", "x")]), "upload.zip")
    assert package.files == {"course.md": b"x"}
