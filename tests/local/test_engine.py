"""The engines' interface: the TTFT log, and replay mode never loading llama.cpp or numpy."""

from __future__ import annotations

import subprocess
import sys

from memchat_local.engine import TtftLog


def test_the_replay_path_loads_neither_llama_cpp_nor_numpy() -> None:
    # A fresh interpreter: this test process has long imported both for the llama tests.
    probe = ("import sys; import memchat_local.endpoint, memchat_local.replay; "
             "from memchat_local.endpoint import build_engine; build_engine('replay'); "
             "print(sorted(name for name in ('llama_cpp', 'numpy') if name in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert loaded.stdout.strip() == "[]"


def test_the_llama_engine_is_still_found_through_the_interface_module_on_demand() -> None:
    probe = ("import sys; import memchat_local.engine as engine; before = 'llama_cpp' in sys.modules; "
             "from memchat_local.engine import LlamaEngine; print(before, 'llama_cpp' in sys.modules, "
             "LlamaEngine.__module__)")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert loaded.stdout.split() == ["False", "True", "memchat_local.llama"]



def test_ttft_log_reports_percentiles_of_recent_samples() -> None:
    log = TtftLog(keep=101)
    for ms in range(201):
        log.record(float(ms))

    figures = log.percentiles()

    assert log.count == 201
    assert figures == {"p50": 150.0, "p95": 195.0}


def test_ttft_log_without_samples_has_no_percentiles() -> None:
    assert TtftLog().percentiles() == {"p50": None, "p95": None}
