"""The model image map (model_images.json), refreshed from the SageMaker SDK's own image_uri_config without
installing the SDK: `make model-images` downloads the pinned sagemaker-core wheel and reads one JSON file per
model server from it.

    python -m memchat_infra.catalog WHEEL   # rewrites model_images.json from that wheel
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

IMAGES_FILE = Path(__file__).with_name("model_images.json")
# The SDK's image config per model server, as `sagemaker.core.image_uris.retrieve(<name>, ...)` reads it:
# Hugging Face's TGI image (huggingface-llm) and its vLLM image (huggingface-vllm). The keys are the backend's
# MEMCHAT_MODEL_SERVER values (memchat.settings.ModelServer; tests/infra/test_images.py holds them equal).
SDK_CONFIGS = {"tgi": "huggingface-llm", "vllm": "huggingface-vllm"}
SDK_CONFIG_DIR = "sagemaker/core/image_uri_config"
# Partitions whose ECR domain images.py knows (amazonaws.com, amazonaws.com.cn); the isolated ones
# (us-iso*, eu-isoe) and the European Sovereign Cloud (eusc) have their own and are left out.
_OTHER_PARTITIONS = re.compile(r"^(us-iso|eu-isoe|eusc-)")
_WHEEL_VERSION = re.compile(r"^sagemaker_core-(?P<version>[^-]+)-")


def sdk_config(wheel: Path, name: str) -> dict[str, Any]:
    """One image config from the wheel (its inference scope)."""
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(f"{SDK_CONFIG_DIR}/{name}.json"))["inference"]


def tag(config: dict[str, Any], entry: dict[str, Any]) -> str:
    """The SDK's tag for a GPU image, as image_uris._format_tag builds it: <tag_prefix>-gpu-<py_version>-
    <container_version>, without the processor when the entry says processor_in_tag: false."""
    (py_version,) = entry["py_versions"]
    processor = "gpu" if entry.get("processor_in_tag", True) and "gpu" in config.get("processors", ["gpu"]) else None
    parts = (entry["tag_prefix"], processor, py_version, entry["container_version"]["gpu"])
    return "-".join(part for part in parts if part)


def image_map(config: dict[str, Any], *, versions: list[str]) -> dict[str, Any]:
    """One server's map for these versions: one repository, one tag each, one registry per region."""
    entries = [config["versions"][version] for version in versions]
    (repository,) = {entry["repository"] for entry in entries}
    registries = entries[-1]["registries"]
    for entry in entries:
        shared = set(entry["registries"]) & set(registries)
        assert all(entry["registries"][r] == registries[r] for r in shared), "registries differ between versions"
    return {
        "repository": repository,
        "versions": {version: tag(config, entry) for version, entry in zip(versions, entries, strict=True)},
        "registries": {region: account for region, account in sorted(registries.items())
                       if not _OTHER_PARTITIONS.match(region)},
    }


def images_document(wheel: Path, *, versions: dict[str, list[str]], source: str) -> dict[str, Any]:
    """The whole vendored document: every server's map, and the wheel it came from."""
    return {
        "_about": "Model server images (Deep Learning Containers) per region, from the SageMaker SDK's "
                  "image_uri_config (sagemaker-core): huggingface-llm.json for tgi, huggingface-vllm.json for "
                  "vllm. `make model-images` refreshes it; add a version by its SDK key.",
        "source": source,
        "servers": {server: {"sdk_config": name, **image_map(sdk_config(wheel, name), versions=versions[server])}
                    for server, name in SDK_CONFIGS.items()},
    }


def wheel_source(wheel: Path) -> str:
    match = _WHEEL_VERSION.match(wheel.name)
    return f"sagemaker-core {match['version'] if match else wheel.name}"


def vendored_versions(document: dict[str, Any]) -> dict[str, list[str]]:
    return {server: list(entry["versions"]) for server, entry in document["servers"].items()}


def refresh(wheel: Path, *, images_file: Path = IMAGES_FILE) -> dict[str, Any]:
    """Rewrite the map from the wheel, for the versions it already lists."""
    document = images_document(wheel, versions=vendored_versions(json.loads(images_file.read_text())),
                               source=wheel_source(wheel))
    images_file.write_text(json.dumps(document, indent=2) + "\n")
    return document


if __name__ == "__main__":
    refresh(Path(sys.argv[1]))
