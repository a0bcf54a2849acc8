"""Local bundling: pip fetches Linux wheels for Python 3.12 on the function's architecture, then memchat is copied."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from memchat_infra.bundling import PYTHON_VERSION, LocalPipBundling


@pytest.fixture
def package(tmp_path: Path) -> Path:
    source = tmp_path / "backend" / "memchat"
    (source / "handlers").mkdir(parents=True)
    (source / "__init__.py").write_text("")
    (source / "handlers" / "chat.py").write_text("def lambda_handler(event, context): ...\n")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "junk.cpython-311.pyc").write_bytes(b"\0")
    return source


@pytest.fixture
def requirements(tmp_path: Path) -> Path:
    path = tmp_path / "lambda.txt"
    path.write_text("pydantic==2.14.4\n")
    return path


def _bundler(package, requirements, *, architecture="arm64", runner=None):
    return LocalPipBundling(architecture=architecture, requirements=requirements, package_dir=package,
                            runner=runner or (lambda command: None))


@pytest.mark.parametrize(("architecture", "machine"), [("arm64", "aarch64"), ("x86_64", "x86_64")])
def test_pip_fetches_binary_wheels_for_the_lambda_platform(package, requirements, architecture, machine):
    command = _bundler(package, requirements, architecture=architecture).pip_command("/out")
    joined = " ".join(command)
    assert f"--platform manylinux2014_{machine}" in joined
    assert f"--python-version {PYTHON_VERSION}" in joined and PYTHON_VERSION == "3.12"
    assert "--only-binary=:all:" in command and "--no-compile" in command
    assert command[command.index("--target") + 1] == "/out"
    assert command[-2:] == ["-r", str(requirements)]


def test_bundling_installs_then_copies_the_package_without_bytecode(package, requirements, tmp_path):
    calls = []
    out = tmp_path / "asset"
    out.mkdir()
    assert _bundler(package, requirements, runner=calls.append).try_bundle(str(out)) is True
    assert calls == [_bundler(package, requirements).pip_command(str(out))]
    assert (out / "memchat" / "handlers" / "chat.py").exists()
    assert not (out / "memchat" / "__pycache__").exists()


def test_a_failing_pip_fails_the_synth(package, requirements, tmp_path):
    def fail(command):
        raise RuntimeError("pip failed")

    with pytest.raises(RuntimeError):
        _bundler(package, requirements, runner=fail).try_bundle(str(tmp_path))


def test_the_asset_hash_follows_the_sources_and_requirements(package, requirements):
    first = _bundler(package, requirements).fingerprint()
    assert _bundler(package, requirements).fingerprint() == first
    (package / "__pycache__" / "other.pyc").write_bytes(b"\1")
    assert _bundler(package, requirements).fingerprint() == first
    (package / "handlers" / "chat.py").write_text("changed = True\n")
    second = _bundler(package, requirements).fingerprint()
    assert second != first
    requirements.write_text("pydantic==2.14.5\n")
    assert _bundler(package, requirements).fingerprint() != second
    assert _bundler(package, requirements, architecture="x86_64").fingerprint() != _bundler(
        package, requirements).fingerprint()


def test_the_asset_hash_is_the_same_from_any_clone_and_interpreter(package, requirements, tmp_path, monkeypatch):
    """CDK uploads an asset again whenever its hash changes (AssetHashType.CUSTOM: the hash we give is the
    asset's identity); one naming an absolute path or the interpreter would re-upload from every clone."""
    first = _bundler(package, requirements).fingerprint()
    clone = tmp_path / "elsewhere"
    (clone / "backend").mkdir(parents=True)
    other_package = clone / "backend" / "memchat"
    shutil.copytree(package, other_package)
    other_requirements = clone / "lambda.txt"
    other_requirements.write_bytes(requirements.read_bytes())
    monkeypatch.setattr(sys, "executable", "/some/other/venv/bin/python")
    assert _bundler(other_package, other_requirements).fingerprint() == first
