"""Writing a course version back as a package, so that export then import changes nothing."""

import io
import zipfile
from pathlib import Path

from app.content.models import AssetBlob
from app.extensions import db


def package_files(version):
    """The files of a version as {relative path: bytes}, exactly as they were imported."""
    files = {"course.md": version.course_source.encode("utf-8")}
    for item in version.items:
        files[item.filename] = item.source.encode("utf-8")
    blobs = {blob.sha256: blob.data for blob in db.session.scalars(
        db.select(AssetBlob).where(AssetBlob.sha256.in_([asset.sha256 for asset in version.assets])))}
    for asset in version.assets:
        files[asset.path] = blobs[asset.sha256]
    return files


def export_to_folder(version, directory):
    """Write the package into DIRECTORY/<slug>/ and return that folder."""
    return write_folder(version.course.slug, package_files(version), directory)


def write_folder(slug, files, directory):
    """Write {relative path: bytes} into DIRECTORY/<slug>/ and return that folder."""
    target = Path(directory) / slug
    for path, data in files.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
    return target


def export_to_zip(version):
    """The package as .zip bytes, with the course slug as its top folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(package_files(version).items()):
            archive.writestr(f"{version.course.slug}/{path}", data)
    return buffer.getvalue()
