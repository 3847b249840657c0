"""No command destroys a user's files: `build` replaces only a site yjplan made, a fault at any
moment leaves the old site or the new one, builds take turns, and whatever goes wrong ends in a
message, not a traceback."""
from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_yjplan, sample_years, tree_digest

pytestmark = pytest.mark.xdist_group("sample")

YEAR = sample_years()[-1]


def refused(result: subprocess.CompletedProcess, rule: str) -> str:
    """The reason a command gave for refusing: its first line, a finding, not a traceback."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: ") and f"[output.{rule}]" in result.stderr, result.stderr
    return first


def with_git(project: Path) -> Path:
    """A stand-in for the project's .git, so the tests see that it survives too."""
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return project


# --- where build may write -----------------------------------------------------------------------------

@pytest.mark.parametrize("where, rule", [
    (".", "site-is-project"),
    ("content", "site-in-project"),
    ("content/2030-31", "site-in-project"),     # absent, but inside the plan's own folder
    (".git", "site-in-project"),
    ("..", "site-contains-project"),
    ("../my-documents", "site-not-yjplan"),
])
def test_build_refuses_to_write_over_the_project_or_a_users_folder(project_copy, where, rule):
    with_git(project_copy)
    mine = project_copy.parent / "my-documents"
    mine.mkdir()
    (mine / "minutes.docx").write_bytes(b"the user's own file")
    before = tree_digest(project_copy.parent)

    result = run_yjplan(project_copy, "build", "--site", str(project_copy / where))

    reason = refused(result, rule)
    assert str((project_copy / where).resolve()) in reason
    assert "Build stopped before writing anything" in result.stderr
    assert tree_digest(project_copy.parent) == before        # not a file added, changed or removed


def test_an_empty_or_absent_folder_or_a_site_yjplan_built_is_accepted(tmp_path, project_copy):
    from plan.outputs import check_site_folder
    empty = tmp_path / "empty"
    empty.mkdir()
    assert check_site_folder(project_copy, empty) == empty
    assert check_site_folder(project_copy, tmp_path / "new" / "site") == tmp_path / "new" / "site"
    assert check_site_folder(project_copy, project_copy / "site") == project_copy / "site"
    # A site built before the stamp existed: yjplan's manifest and versions.json, no stamp.
    from plan.cache import MANIFEST
    from plan.outputs import LEGACY_MARKERS
    assert LEGACY_MARKERS == (MANIFEST, "versions.json")
    old = tmp_path / "old-site"
    old.mkdir()
    (old / ".yjplan-build.json").write_text("{}")
    (old / "versions.json").write_text("[]")
    assert check_site_folder(project_copy, old) == old
    (old / ".yjplan-build.json").unlink()            # versions.json alone is not enough
    with pytest.raises(Exception, match="yjplan did not make"):
        check_site_folder(project_copy, old)


def test_a_build_into_an_empty_folder_makes_a_stamped_site_with_its_manifest(published, tmp_path):
    target = tmp_path / "www"
    target.mkdir()
    result = run_yjplan(published, "build", "--site", str(target), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (target / ".yjplan-site").is_file() and (target / ".yjplan-build.json").is_file()
    assert {p.name for p in target.iterdir()} >= {*sample_years(), "latest", "index.html", "versions.json"}
    assert not list(tmp_path.glob(".yjplan-build-*"))


def test_a_read_only_site_is_refused_and_left_as_it_was(published, monkeypatch, capsys):
    """We run as root, for whom chmod does not stop writing, so the test makes the folder
    unwritable where yjplan asks: os.access says no for one folder inside the site."""
    from plan.cli import main
    site = published / "site"
    locked = site / YEAR
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != locked and real_access(path, mode, **kw))
    before = tree_digest(published)

    code = main(["--root", str(published), "build", "--quiet"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"error: --site: yjplan may not write to {locked}")
    assert "[output.not-writable]" in err
    assert tree_digest(published) == before


# --- faults at any moment of the swap ------------------------------------------------------------------

SWAP_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from plan import outputs, publish
    step, exchange, staged, site = sys.argv[1:]
    def checkpoint(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)
    outputs._checkpoint = checkpoint
    if exchange == "no":              # a system without renameat2's exchange: two renames
        outputs._exchange = lambda a, b: False
    publish.swap_into_place(Path(staged), Path(site))
""")


def a_site(folder: Path, text: str) -> dict:
    (folder / "2025-26").mkdir(parents=True)
    (folder / ".yjplan-site").write_text("stamp")
    (folder / "index.html").write_text(f"{text} index")
    (folder / "2025-26" / "index.html").write_text(f"{text} year")
    return tree_digest(folder)


@pytest.mark.parametrize("exchange", ["yes", "no"])
@pytest.mark.parametrize("step", ["before swap", "between renames", "after swap", "never"])
def test_a_build_killed_at_any_moment_of_the_swap_leaves_the_old_site_or_the_new(tmp_path, step, exchange):
    from plan.outputs import remove_stale_staging
    site = tmp_path / "site"
    old = a_site(site, "old")
    work = tmp_path / ".yjplan-build-killed"
    new = a_site(work / "site", "new")

    result = subprocess.run([sys.executable, "-c", SWAP_SCRIPT, step, exchange, str(work / "site"), str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)

    killed = step == "before swap" or step == "after swap" or (step == "between renames" and exchange == "no")
    assert result.returncode == (-signal.SIGKILL if killed else 0), result.stderr
    if step == "between renames" and exchange == "no":
        assert not site.exists()        # the one moment without a site; the next build puts the old one back
    else:
        assert tree_digest(site) == (old if step == "before swap" else new)
    remove_stale_staging(site)          # what the next build does first, holding the lock
    assert tree_digest(site) in (old, new)
    assert not list(tmp_path.glob(".yjplan-build-*"))


def test_a_staging_folder_left_by_a_killed_build_is_removed_by_the_next(published):
    stale = published / ".yjplan-build-k1ll3d"
    (stale / "site" / YEAR).mkdir(parents=True)
    (stale / "site" / YEAR / "index.html").write_text("half a site")
    before = tree_digest(published / "site")

    result = run_yjplan(published, "build", "--quiet")

    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert tree_digest(published / "site") == before


# --- builds take turns -------------------------------------------------------------------------------

def test_two_builds_at_once_both_finish_without_a_traceback(published):
    before = tree_digest(published / "site")
    builds = [subprocess.Popen([sys.executable, "-m", "plan", "--root", str(published), "build", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [build.communicate(timeout=600) for build in builds]
    for build, (out, err) in zip(builds, outputs):
        assert build.returncode == 0 and "Traceback" not in err, err
    assert tree_digest(published / "site") == before


def test_a_second_build_waits_for_the_first_and_says_so_once(published):
    with open(published / ".yjplan-build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)         # another build is running
        build = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(published), "build", "--quiet"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = build.stderr.readline()
        assert first == "waiting for another build to finish\n"
        time.sleep(0.5)
        assert build.poll() is None              # still waiting
    out, err = build.communicate(timeout=600)
    assert build.returncode == 0, err
    assert "waiting" not in err and "Traceback" not in err


# --- stopped builds: Ctrl-C, SIGTERM, a killed build's print workers ----------------------------------

def children(pid: int) -> list[int]:
    """Living processes whose parent is `pid` (a /proc scan: no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("stop, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_build_stopped_by_ctrl_c_or_sigterm_says_so_and_leaves_the_site(published, stop, code):
    """Ctrl-C in a terminal goes to the build and its print workers (the process group);
    SIGTERM, from `kill` or a cancelled CI job, to the build alone."""
    narrative = next((published / "content" / YEAR / "narrative").glob("*.md"))
    narrative.write_text(narrative.read_text() + "\nOne more sentence.\n")      # so the year is printed again
    before = tree_digest(published / "site")
    build = subprocess.Popen([sys.executable, "-m", "plan", "--root", str(published), "build", "--quiet",
                              "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert wait_until(lambda: list(published.glob(".yjplan-build-*")) and len(children(build.pid)) >= 2)
    workers = children(build.pid)

    if stop == signal.SIGINT:
        os.killpg(build.pid, stop)
    else:
        build.send_signal(stop)
    out, err = build.communicate(timeout=60)

    assert build.returncode == code, err
    assert "Traceback" not in err
    assert "stopped; the site is as it was." in err
    assert tree_digest(published / "site") == before
    assert not list(published.glob(".yjplan-build-*"))
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10)


PRINTER_SCRIPT = textwrap.dedent("""
    import os, sys, time
    from plan.pdf import Printer
    with Printer(jobs=2) as printer:
        printer._pool.submit(os.getpid).result()        # a worker is up, its start-up done
        print(*printer._pool._processes, flush=True)
        time.sleep(600)
""")


def test_print_workers_exit_when_the_build_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PRINTER_SCRIPT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert workers and all(alive(pid) for pid in workers)

    parent.kill()
    parent.wait()

    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10)


def test_a_print_worker_that_runs_out_of_memory_is_a_finding():
    from plan.pdf import PRINT_MEMORY_LIMIT, Printer
    from plan.problems import PlanError
    with Printer(jobs=2) as printer:
        printer._pending[YEAR] = [printer._pool.submit(bytearray, PRINT_MEMORY_LIMIT + 1)]
        with pytest.raises(PlanError) as stopped:
            printer.wait(YEAR)
    assert [f.rule for f in stopped.value.findings] == ["print.memory"]
    assert "more than the 2 GiB" in stopped.value.findings[0].message


def test_a_print_worker_that_dies_is_a_finding():
    from plan.pdf import Printer
    from plan.problems import PlanError
    with pytest.raises(PlanError) as stopped:
        with Printer(jobs=2) as printer:
            printer._pending[YEAR] = [printer._pool.submit(os._exit, 1)]
            printer.wait(YEAR)
    assert [f.rule for f in stopped.value.findings] == ["print.worker-stopped"]


# --- every failure a message -----------------------------------------------------------------------

@pytest.mark.parametrize("failure, expected, code", [
    (OSError(errno.ENOSPC, "No space left on device", "/srv/site/2025-26/plan.pdf"),
     "error: the disk is full: could not write /srv/site/2025-26/plan.pdf; the site is as it was.", 1),
    (PermissionError(errno.EACCES, "Permission denied", "/srv/site/.yjplan-build-x"),
     "error: permission denied: /srv/site/.yjplan-build-x; the site is as it was.", 1),
    (KeyboardInterrupt(), "stopped; the site is as it was.", 130),
])
def test_a_full_disk_a_refused_permission_or_ctrl_c_is_a_message(project_copy, monkeypatch, capsys,
                                                                    failure, expected, code):
    import plan.build
    from plan.cli import main

    def fail(*args, **kwargs):
        raise failure
    monkeypatch.setattr(plan.build, "build", fail)
    assert main(["--root", str(project_copy), "build", "--quiet"]) == code
    assert expected in capsys.readouterr().err


def test_a_new_year_stopped_by_a_full_disk_leaves_content_as_it_was(project_copy, monkeypatch, capsys):
    import plan.newyear
    from plan.cli import main
    before = tree_digest(project_copy / "content")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(project_copy / "content" / ".2026-27.new"))
    monkeypatch.setattr(plan.newyear, "_dump", full)

    assert main(["--root", str(project_copy), "new", "2026-27"]) == 1
    assert "the disk is full" in capsys.readouterr().err
    assert tree_digest(project_copy / "content") == before
    assert sorted(p.name for p in (project_copy / "content").iterdir()) == sorted(p.name for p in (ROOT / "content").iterdir())


def test_an_import_stopped_half_way_leaves_local_csv_as_it_was(project_copy, monkeypatch):
    import pandas as pd

    from plan.importer import merge_into_local
    local = project_copy / "data" / "local.csv"
    before = local.read_bytes()

    def half_then_full(self, path, **kwargs):
        Path(path).write_text("measure,period\n")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full)

    rows = pd.read_csv(local, dtype=str, keep_default_na=False).head(1)
    with pytest.raises(OSError):
        merge_into_local(project_copy, rows)
    assert local.read_bytes() == before
    assert sorted(p.name for p in local.parent.iterdir()) == sorted(p.name for p in (ROOT / "data").iterdir())


# --- pack -o -----------------------------------------------------------------------------------------

def test_pack_refuses_to_replace_a_file_that_is_not_a_pdf(project_copy, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes for the committee")

    result = run_yjplan(project_copy, "pack", YEAR, "-o", str(notes))

    assert str(notes) in refused(result, "pack-not-pdf")
    assert notes.read_text() == "my notes for the committee"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "project"]


def test_pack_refuses_to_write_into_the_plans_own_folders(project_copy):
    before = tree_digest(project_copy)
    result = run_yjplan(project_copy, "pack", YEAR, "-o", str(project_copy / "content" / YEAR / "pack.pdf"))
    refused(result, "pack-in-project")
    assert tree_digest(project_copy) == before


def test_pack_may_replace_an_earlier_pdf(tmp_path, project_copy):
    from plan.outputs import check_pack_file
    earlier = tmp_path / "pack.pdf"
    earlier.write_bytes(b"%PDF-1.7\n...")
    assert check_pack_file(project_copy, earlier) == earlier
    assert check_pack_file(project_copy, tmp_path / "new.pdf") == tmp_path / "new.pdf"
