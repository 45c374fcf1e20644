"""Reading a course package from a folder or a .zip into memory, refusing unsafe archives."""

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

MAX_FILES = 500
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class Package:
    """A package's files by relative POSIX path; `name` is the folder (or archive) name."""

    name: str
    origin: str
    files: dict[str, bytes] = field(default_factory=dict)

    def text(self, path):
        """A file decoded as UTF-8 (a BOM is dropped); raises UnicodeDecodeError."""
        return self.files[path].decode("utf-8-sig")


class PackageError(Exception):
    """The package could not be read at all; `path` names the file or member at fault."""

    def __init__(self, path, message):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _ignored(parts):
    return any(part.startswith(".") or part in IGNORED_NAMES or part == "__MACOSX" for part in parts)


def read_folder(path):
    """Read a package folder."""
    root = Path(path)
    package = Package(name=root.resolve().name, origin=str(path))
    total = 0
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if _ignored(relative.parts) or file.is_dir():
            continue
        if file.is_symlink():
            raise PackageError(relative.as_posix(), _l("symbolic links are not allowed in a package"))
        size = file.stat().st_size
        total += size
        _check_limits(relative.as_posix(), len(package.files) + 1, size, total)
        package.files[relative.as_posix()] = _read_file(file, relative)
    return package


def _read_file(file, relative):
    # A disk error or a file the server may not read is a problem with this file, not a crash.
    try:
        return file.read_bytes()
    except OSError as error:
        raise PackageError(relative.as_posix(), _l("this file could not be read (%(reason)s)",
                                                   reason=error.strerror or type(error).__name__)) from None


def read_zip(data, name):
    """Read a package from the bytes of a .zip; a single top folder inside is allowed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise PackageError(name, _l("this is not a readable .zip file")) from None
    members = []
    total = 0
    with archive:
        for info in archive.infolist():
            member = info.filename
            path = _safe_member_path(info)
            if path is None:
                continue
            total += info.file_size
            _check_limits(member, len(members) + 1, info.file_size, total)
            members.append((path, info))
        prefix = _common_top_folder([path for path, _info in members])
        package = Package(name=prefix or Path(name).stem, origin=name)
        for path, info in members:
            relative = PurePosixPath(*path.parts[1:]) if prefix else path
            package.files[relative.as_posix()] = _read_member(archive, info)
    return package


def read_package(path):
    """Read a folder or a .zip file given on the command line."""
    path = Path(path)
    if path.is_dir():
        return read_folder(path)
    if path.suffix.lower() == ".zip" and path.is_file():
        return read_zip(path.read_bytes(), path.name)
    raise PackageError(str(path), _l("not a package folder or a .zip file"))


def find_packages(path):
    """The packages at `path`: the folder itself if it has course.md, else its sub-folders and zips."""
    path = Path(path)
    if path.is_dir() and not (path / "course.md").exists():
        children = [child for child in sorted(path.iterdir())
                    if (child.is_dir() and (child / "course.md").exists()) or child.suffix.lower() == ".zip"]
        if children:
            return children
    return [path]


def _safe_member_path(info):
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageError(name, _l("symbolic links are not allowed in a package"))
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise PackageError(name, _l("absolute paths are not allowed in a package"))
    path = PurePosixPath(name)
    if any(part == ".." for part in path.parts):
        raise PackageError(name, _l("paths with '..' are not allowed in a package"))
    if info.is_dir() or _ignored(path.parts):
        return None
    if any(ord(ch) < 32 for ch in name):
        raise PackageError(repr(name), _l("file names must not contain control characters"))
    return path


def _common_top_folder(paths):
    if not paths or any(len(path.parts) < 2 for path in paths):
        return None
    tops = {path.parts[0] for path in paths}
    return tops.pop() if len(tops) == 1 else None


def _read_member(archive, info):
    # The declared size can lie (zip bombs): read at most one byte more than allowed.
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
        raise PackageError(info.filename, _l("this file in the archive is damaged or uses an unknown format")) from None
    if len(data) > MAX_FILE_BYTES or len(data) != info.file_size:
        raise PackageError(info.filename, _l("the file is larger than it claims or than 20 MB"))
    return data


def _check_limits(path, count, size, total):
    if count > MAX_FILES:
        raise PackageError(path, _l("a package may hold at most %(n)d files", n=MAX_FILES))
    if size > MAX_FILE_BYTES:
        raise PackageError(path, _l("a file may be at most 20 MB"))
    if total > MAX_TOTAL_BYTES:
        raise PackageError(path, _l("a package may be at most 100 MB in all"))
