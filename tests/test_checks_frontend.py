"""The pytest front end (checks/): one test per rule and service, failures point at records.

Each knowledge base is checked by a pytest of its own in a subprocess; the subprocesses run
side by side so that the three of them cost about as much as one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import AS_OF, SERVICE, line_of, minutes, only, review, service, write_kb

CHECKS = Path(__file__).resolve().parent.parent / "checks"
REVIEW = "records/svc-x/reviews/rv-x-1.md"

pytestmark = pytest.mark.skipif(
    not (CHECKS / "conftest.py").is_file(), reason="checks/ is not part of this checkout"
)


def files(review_day: str) -> dict[str, str]:
    return {
        "policy.yml": only("review-frequency", "review-parties"),
        SERVICE: service(start="2026-01-01"),
        REVIEW: review("rv-x-1", review_day),
        "records/svc-x/minutes/mn-x-1.md": minutes(date=review_day),
    }


KNOWLEDGE_BASES = {
    "compliant": files("2026-07-01"),
    "broken": {**files("2026-07-02"), "records/svc-x/bad.md": "no front matter\n"},
    "bad-policy": {**files("2026-07-01"), "policy.yml": "rules:\n  review-frequncy: {}\n"},
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, subprocess.CompletedProcess[str]]:
    running = {}
    for name, content in KNOWLEDGE_BASES.items():
        root = write_kb(tmp_path_factory.mktemp(name), content)
        command = [sys.executable, "-m", "pytest", str(CHECKS), "--kb-root", str(root)]
        command += ["--as-of", AS_OF, "-p", "no:cacheprovider", "-v"]
        running[name] = (
            command,
            subprocess.Popen(
                command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            ),
        )
    results = {}
    for name, (command, process) in running.items():
        out, err = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(command, process.returncode, out, err)
    return results


def test_compliant_knowledge_base_passes(checked):
    result = checked["compliant"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_compliance[review-frequency::svc-x] PASSED" in result.stdout
    assert "test_compliance[review-parties::svc-x] PASSED" in result.stdout
    assert "test_compliance[schema::records] PASSED" in result.stdout
    assert "review-minutes::" not in result.stdout  # disabled by the policy


def test_broken_knowledge_base_fails_at_the_record(checked):
    result = checked["broken"]
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_compliance[review-frequency::svc-x] FAILED" in result.stdout
    assert "test_compliance[review-parties::svc-x] PASSED" in result.stdout
    assert f"{REVIEW}:{line_of(review(), 'date')}:" in result.stdout
    assert "应不晚于 2026-07-01 召开，实际 2026-07-02" in result.stdout


def test_broken_file_fails_the_whole_kb_case(checked):
    result = checked["broken"]
    assert "test_compliance[front-matter::records] FAILED" in result.stdout
    assert "records/svc-x/bad.md:1:" in result.stdout


def test_bad_policy_is_a_usage_error(checked):
    result = checked["bad-policy"]
    assert result.returncode not in (0, 1)
    assert "policy.yml:2" in result.stderr + result.stdout


def test_changed_since_with_an_unknown_revision_is_a_usage_error(tmp_path) -> None:
    root = write_kb(tmp_path, files("2026-07-01"))
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(CHECKS),
        "--kb-root",
        str(root),
        "-p",
        "no:cacheprovider",
    ]
    env = {**os.environ, "BRMKB_CHANGED_SINCE": "no-such-branch"}
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "BRMKB_CHANGED_SINCE" in done.stderr and "Traceback" not in done.stdout + done.stderr
