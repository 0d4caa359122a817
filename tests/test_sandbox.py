"""Untrusted-input work runs in a child with memory, CPU and wall-time limits."""

from __future__ import annotations

import pytest

from ingest.sandbox import SandboxError, SandboxLimits, run_in_sandbox

T = "tests.support.sandbox_targets"


def test_result_comes_back():
    assert run_in_sandbox(f"{T}.sleep", {"seconds": 0}) == "woke"


def test_wall_time_limit_kills_the_child():
    with pytest.raises(SandboxError) as err:
        run_in_sandbox(f"{T}.sleep", {"seconds": 30}, SandboxLimits(wall_seconds=2))
    assert err.value.kind == "timeout"


def test_memory_limit_stops_a_bomb_without_hurting_the_parent():
    with pytest.raises(SandboxError) as err:
        run_in_sandbox(f"{T}.allocate", {"megabytes": 2048}, SandboxLimits(memory_mb=512))
    assert err.value.kind == "killed"
    assert (
        run_in_sandbox(f"{T}.allocate", {"megabytes": 64}, SandboxLimits(memory_mb=512)) == 64 * 1024 * 1024
    )


def test_a_crashing_child_is_reported_not_fatal():
    with pytest.raises(SandboxError) as err:
        run_in_sandbox(f"{T}.crash", {})
    assert err.value.kind == "killed"


def test_child_takes_the_callers_current_environment_and_directory(tmp_path, monkeypatch):
    """The fork server starts with the first call's environment: a later call's child still sees
    the caller's environment and working directory of that moment, as a spawned child did."""
    import os

    run_in_sandbox(f"{T}.sleep", {"seconds": 0})  # the fork server is up before the change
    monkeypatch.setenv("SOHOA_SANDBOX_PROBE", "sau khi khởi động")
    monkeypatch.chdir(tmp_path)
    seen = run_in_sandbox(f"{T}.surroundings", {"name": "SOHOA_SANDBOX_PROBE"})
    assert seen["env"] == "sau khi khởi động"
    assert seen["cwd"] == str(tmp_path)
    assert seen["ppid"] != os.getpid(), "forked by the fork server, which holds no state of ours"
