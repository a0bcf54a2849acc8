"""The Lambda code asset: the backend's `memchat` package plus pinned wheels, bundled locally without Docker."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import jsii
from aws_cdk import AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

REPO_ROOT = Path(__file__).resolve().parents[2]
BACKEND_DIR = REPO_ROOT / "backend"
PYTHON_VERSION = "3.12"
# Wheel platform tags per Lambda architecture. The python3.12 runtime is Amazon Linux 2023 (glibc 2.34),
# so manylinux_2_28 wheels run there too and keep resolving when a package drops manylinux2014 builds.
PLATFORMS = {
    "x86_64": ("manylinux2014_x86_64", "manylinux_2_28_x86_64"),
    "arm64": ("manylinux2014_aarch64", "manylinux_2_28_aarch64"),
}
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")

Runner = Callable[[Sequence[str]], None]


def requirements_file() -> Path:
    """The pinned runtime requirements, or their unpinned source until the lock file exists."""
    pinned = REPO_ROOT / "requirements" / "lambda.txt"
    return pinned if pinned.exists() else REPO_ROOT / "requirements" / "lambda.in"


def _run(command: Sequence[str]) -> None:
    subprocess.run(command, check=True)


@jsii.implements(ILocalBundling)
class LocalPipBundling:
    """pip-installs Linux wheels for the Lambda runtime into the asset, then copies `memchat` beside them."""

    def __init__(self, *, architecture: str, requirements: Path, package_dir: Path, runner: Runner = _run) -> None:
        self._platforms = PLATFORMS[architecture]
        self._requirements = requirements
        self._package_dir = package_dir
        self._runner = runner

    def pip_command(self, output_dir: str) -> list[str]:
        platforms = [arg for tag in self._platforms for arg in ("--platform", tag)]
        return [
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--target", output_dir, *platforms, "--implementation", "cp", "--python-version", PYTHON_VERSION,
            # Binary wheels only (no compiler for another platform), and no .pyc from this interpreter.
            "--only-binary=:all:", "--no-compile", "--upgrade", "-r", str(self._requirements),
        ]

    def try_bundle(self, output_dir: str, *_options: object, **_kwargs: object) -> bool:
        self._runner(self.pip_command(output_dir))
        target = Path(output_dir) / self._package_dir.name
        shutil.copytree(self._package_dir, target, ignore=_IGNORED, dirs_exist_ok=True)
        return True

    def fingerprint(self) -> str:
        """A hash of everything the bundle is built from, so unchanged code is not uploaded again.

        Only contents and relative names go in: the interpreter and the clone's location differ between
        machines, and a hash that named them would upload every function again from every clone.
        """
        digest = hashlib.sha256()
        command = self.pip_command("<out>")[1:]
        command[-1] = self._requirements.name  # the file's contents are hashed below
        digest.update(" ".join(command).encode())
        digest.update(self._requirements.read_bytes())
        for path in sorted(self._package_dir.rglob("*.py")):
            if "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(self._package_dir)).encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()


def lambda_code(*, architecture: str) -> lambda_.Code:
    """One asset for every handler: bundled once per synth, skipped by tests via aws:cdk:bundling-stacks."""
    bundler = LocalPipBundling(
        architecture=architecture, requirements=requirements_file(), package_dir=BACKEND_DIR / "memchat"
    )
    return lambda_.Code.from_asset(
        str(BACKEND_DIR),
        asset_hash=bundler.fingerprint(),
        asset_hash_type=AssetHashType.CUSTOM,
        # The image is never pulled: local bundling always succeeds or raises.
        bundling=BundlingOptions(image=DockerImage.from_registry("local-bundling-only"), local=bundler),
    )
