"""Where yjplan writes, and how it replaces what is there: no command destroys a user's files.

`build` replaces a whole folder, so it replaces only a folder yjplan made. A built site carries
the stamp file STAMP; `build` writes into a folder that is absent, empty, or stamped, and
refuses anything else before it writes a byte: the project folder, a folder containing it,
anything at or inside the project's own folders (content/, data/, templates/, plan/, .git),
and a non-empty folder without the stamp.

Migration: a site built before the stamp existed has no stamp, but has yjplan's build manifest
(cache.MANIFEST, `.yjplan-build.json`) and `versions.json`, which only yjplan writes together;
such a folder is accepted as yjplan's, and the next build stamps it.

The stamp says only that yjplan made the folder, not from which project: it is published with
the site, so it names no folder of the machine that built it, and the same inputs give the same
bytes wherever they are built. Building a second project into a first project's site replaces
that site; it is yjplan's output, which the first project can build again.

The finished site is swapped into place in one step (Linux renameat2 RENAME_EXCHANGE), so a
kill at any moment leaves the old site or the new one; where the system cannot exchange, two
renames are used, and a build killed between them is put back by the next build. Builds into
one folder take turns (a lock beside the site), which also makes it safe for a build to remove
what a killed build left behind.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .problems import Finding, PlanError

STAMP = ".yjplan-site"
STAMP_TEXT = ("This folder was made by 'yjplan build'. Each build replaces the whole folder,\n"
              "so keep none of your own files in it.\n")
LEGACY_MARKERS = (".yjplan-build.json", "versions.json")   # cache.MANIFEST and site.write_root's versions
LOCK = ".yjplan-build.lock"
STAGING_PREFIX = ".yjplan-build-"
OLD = "old"            # inside a staging folder: the old site, between the two renames of the fallback swap
PROJECT_FOLDERS = ("content", "data", "templates", "plan", ".git")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _checkpoint(step: str) -> None:
    """Called between the steps of a swap; the tests replace it to kill the process there."""


def _refuse(rule: str, message: str, fix: str, file: str = "") -> PlanError:
    return PlanError([Finding(f"output.{rule}", message, fix=fix, file=file)])


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def made_by_yjplan(folder: Path) -> bool:
    """A folder yjplan built: stamped, or (built before the stamp) with yjplan's manifest and versions."""
    return (folder / STAMP).is_file() or all((folder / name).is_file() for name in LEGACY_MARKERS)


def write_stamp(folder: Path) -> None:
    (folder / STAMP).write_text(STAMP_TEXT, encoding="utf-8")


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _check_writable(target: Path, whole_tree: bool, option: str) -> None:
    """Refuse before anything is replaced if a folder that must change cannot be: the target's
    parent (staging and the swap happen there) and, for a site, every folder of the old site
    (it is deleted after the swap)."""
    folders = [_nearest_existing(target.parent)]
    if whole_tree and target.is_dir():
        folders += [target, *(p for p in sorted(target.rglob("*")) if p.is_dir() and not p.is_symlink())]
    for folder in folders:
        if not _writable(folder):
            raise _refuse("not-writable", f"yjplan may not write to {folder}",
                          "give your user write permission there (e.g. chmod u+w), or choose another folder", option)


def check_site_folder(root: Path, site: Path) -> Path:
    """The real folder `build --site` would replace, or PlanError if it is not yjplan's to replace."""
    root, site = root.resolve(), site.resolve()
    fix = "use --site with a new or empty folder outside content/, data/, templates/ and plan/, or leave it out for site/"
    if site == root:
        raise _refuse("site-is-project", f"{site} is the project folder itself: building there would "
                      "replace the plan, its data and everything else in it", fix, "--site")
    if _inside(root, site):
        raise _refuse("site-contains-project", f"{site} contains the project folder {root}: building there "
                      "would replace the project and everything beside it", fix, "--site")
    for name in PROJECT_FOLDERS:
        if _inside(site, root / name):
            raise _refuse("site-in-project", f"{site} is in the project's {name}/ folder, which yjplan "
                          "never writes to", fix, "--site")
    if site.exists():
        if not site.is_dir():
            raise _refuse("site-not-folder", f"{site} is a file, not a folder", fix, "--site")
        if any(site.iterdir()) and not made_by_yjplan(site):
            raise _refuse("site-not-yjplan", f"{site} already holds files that yjplan did not make (it has no "
                          f"{STAMP} stamp), so building there would delete them",
                          "choose a new or empty folder, or move those files away first", "--site")
    _check_writable(site, whole_tree=True, option="--site")
    return site


def check_pack_file(root: Path, target: Path) -> Path:
    """The real file `pack -o` would write, or PlanError if writing it could destroy a user's file."""
    root, target = root.resolve(), target.resolve()
    for name in PROJECT_FOLDERS:
        if _inside(target, root / name):
            raise _refuse("pack-in-project", f"{target} is in the project's {name}/ folder, which yjplan "
                          "never writes to", "write the pack somewhere else, e.g. the current folder", "-o")
    if target.is_dir():
        raise _refuse("pack-is-folder", f"{target} is a folder", "give the name of the PDF file to write", "-o")
    if target.exists():
        with target.open("rb") as existing:
            if existing.read(5) != b"%PDF-":
                raise _refuse("pack-not-pdf", f"{target} is an existing file that is not a PDF: writing the pack "
                              "would replace it", "choose another file name, or move that file away first", "-o")
    _check_writable(target, whole_tree=False, option="-o")
    return target


def _announce_wait() -> None:
    print("waiting for another build to finish", file=sys.stderr, flush=True)


@contextmanager
def site_lock(site: Path, waiting: Callable[[], None] = _announce_wait) -> Iterator[None]:
    """Builds into one folder take turns: a second build waits, saying so once. The lock file
    stays (removing it would let two builds hold different locks)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    with open(site.parent / LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield            # the lock goes with the file when it closes, also when the process is killed


def remove_stale_staging(site: Path) -> None:
    """Remove the staging folders of builds that were killed. Call with site_lock held: every
    staging folder beside the site belongs to a build that held that lock, so none is in use.
    A build killed between the two renames of the fallback swap left no site; its old site is
    put back first."""
    for folder in sorted(site.parent.glob(STAGING_PREFIX + "*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        if not site.exists() and (folder / OLD).is_dir():
            os.rename(folder / OLD, site)
        shutil.rmtree(folder, ignore_errors=True)


def _exchange(staged: Path, site: Path) -> bool:
    """Swap two folders in one step. False where the system cannot (then nothing happened)."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(staged), _AT_FDCWD, os.fsencode(site), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(site))


def swap(staged: Path, site: Path) -> None:
    """Put `staged` at `site`. The old site, if any, ends up inside staged's parent (the staging
    folder), which the caller removes: a kill at any moment leaves the old site or the new one."""
    _checkpoint("before swap")
    if not site.exists():
        os.rename(staged, site)
    elif not _exchange(staged, site):
        os.rename(site, staged.parent / OLD)
        _checkpoint("between renames")
        os.rename(staged, site)
    _checkpoint("after swap")
