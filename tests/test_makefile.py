"""`make install` builds llama-cpp-python with only what its Python side loads (issue 19: a cold install built
the multimodal library and llama.cpp's common library, which nothing here loads)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NO_COMMON = REPO / "requirements" / "llama-cpp-python.cmake"
# What the source build leaves out; the CPU backend and its default (native) optimisations stay as they are.
LEFT_OUT = ("-DLLAVA_BUILD=OFF", f"-DCMAKE_PROJECT_llama.cpp_INCLUDE={NO_COMMON}", "-DLLAMA_BUILD_TESTS=OFF",
            "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_TOOLS=OFF", "-DLLAMA_BUILD_SERVER=OFF")


def test_the_requirements_step_builds_llama_cpp_without_what_memchat_never_calls():
    # -B: as on a fresh clone, the venv is out of date, so its whole recipe is printed.
    plan = subprocess.run(["make", "-n", "-B", ".venv/.installed"], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout
    (step,) = [line for line in plan.splitlines() if "-r requirements/dev.in" in line]
    assert step.startswith('CMAKE_ARGS="') and " install " in step
    options = step.split('"')[1].split()
    assert set(LEFT_OUT) <= set(options)
    assert not [option for option in options if "GGML_NATIVE" in option or "GGML_CPU" in option]
    assert options[-1] == "$CMAKE_ARGS"  # a developer's own CMake options come last, so they win


def test_the_project_include_turns_off_the_common_library_that_llama_cpp_python_forces_on():
    # llama-cpp-python sets LLAMA_BUILD_COMMON with FORCE, so only a normal variable in llama.cpp's scope wins.
    statements = [line.strip() for line in NO_COMMON.read_text().splitlines() if line.strip()[:1] not in ("", "#")]
    assert statements == ["set(LLAMA_BUILD_COMMON OFF)"]


def test_the_options_reach_pip_with_the_developers_own_after_them(tmp_path):
    """The recipe run for real against a stand-in pip that records what it was given: only the requirements
    step, the one that may build llama-cpp-python, carries the options."""
    calls = tmp_path / "calls"
    pip = tmp_path / "pip"
    pip.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$CMAKE_ARGS" "$*" >> {calls}\n')
    pip.chmod(0o755)
    venv = tmp_path / "venv"
    venv.mkdir()  # PY=/bin/true: the recipe takes the venv as made
    env = os.environ | {"CMAKE_ARGS": "-DGGML_CUDA=on"}
    subprocess.run(["make", "-B", f"VENV={venv}", "PY=/bin/true", f"PIP={pip}", f"{venv}/.installed"], cwd=REPO,
                   env=env, capture_output=True, text=True, check=True)
    recorded = [line.split("|", 1) for line in calls.read_text().splitlines()]
    (requirements,) = [cmake_args for cmake_args, args in recorded if "-r requirements/dev.in" in args]
    assert set(LEFT_OUT) <= set(requirements.split()) and requirements.split()[-1] == "-DGGML_CUDA=on"
    others = [cmake_args for cmake_args, args in recorded if "-r requirements/dev.in" not in args]
    assert others and all(cmake_args == "-DGGML_CUDA=on" for cmake_args in others)
    assert (venv / ".installed").exists()
