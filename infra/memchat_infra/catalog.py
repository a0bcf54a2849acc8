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
# Maps recorded so a team can choose them, never deployed by `model_server`: AWS's Large Model Inference container
# (djl-lmi, DJL Serving in front of vLLM or TensorRT-LLM), whose response stream is JSON lines, which the backend
# does not read (issue 18, section 1). They sit in the map's "alternatives", apart from its "servers".
ALTERNATIVE_SDK_CONFIGS = {"lmi": "djl-lmi"}
SECTIONS = {"servers": SDK_CONFIGS, "alternatives": ALTERNATIVE_SDK_CONFIGS}
SDK_CONFIG_DIR = "sagemaker/core/image_uri_config"
# Partitions whose ECR domain images.py knows (amazonaws.com, amazonaws.com.cn); the isolated ones
# (us-iso*, eu-isoe) and the European Sovereign Cloud (eusc) have their own and are left out.
_OTHER_PARTITIONS = re.compile(r"^(us-iso|eu-isoe|eusc-)")
_WHEEL_VERSION = re.compile(r"^sagemaker_core-(?P<version>[^-]+)-")


def sdk_config(wheel: Path, name: str) -> dict[str, Any]:
    """One image config from the wheel, its inference scope: nested under "inference" (huggingface-*.json) or
    the whole file when it names its scope at the top (djl-lmi.json), as image_uris._config_for_framework_and_scope
    reads it."""
    with zipfile.ZipFile(wheel) as archive:
        config = json.loads(archive.read(f"{SDK_CONFIG_DIR}/{name}.json"))
    return config if "scope" in config else config["inference"]


def tag(config: dict[str, Any], entry: dict[str, Any]) -> str:
    """The SDK's tag for a GPU image, as sagemaker-core's image_uris.retrieve builds it for a g/p instance:
    _format_tag joins <tag_prefix>-<processor>-<py_version>-<container_version>, leaving out each part the config
    lacks. The processor is "gpu" only when the config lists processors (_processor returns None without them)
    and the entry does not say processor_in_tag: false; the py_version only when the entry lists one
    (_validate_py_version_and_set_if_needed); container_version only when the entry maps one. So TGI's and HF
    vLLM's tags carry all four, and LMI's (djl-lmi.json: no processors, py_versions or container_version) are its
    tag_prefix alone, e.g. 0.38.0-lmi29.0.0-cu130."""
    (py_version,) = entry.get("py_versions") or [None]
    processors = config.get("processors") or entry.get("processors")
    processor = "gpu" if processors and entry.get("processor_in_tag", True) else None
    parts = (entry["tag_prefix"], processor, py_version, entry.get("container_version", {}).get("gpu"))
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
    """The whole vendored document: every server's map, every alternative's, and the wheel they came from. A
    server or alternative without versions yet gets the SDK's "latest"."""
    def entry(name: str, listed: list[str] | None) -> dict[str, Any]:
        config = sdk_config(wheel, name)
        return {"sdk_config": name, **image_map(config, versions=listed or [config["version_aliases"]["latest"]])}

    return {
        "_about": "Model server images (Deep Learning Containers) per region, from the SageMaker SDK's "
                  "image_uri_config (sagemaker-core): huggingface-llm.json for tgi, huggingface-vllm.json for "
                  "vllm (the servers model_server deploys); djl-lmi.json for AWS's LMI (an alternative, recorded "
                  "but not deployable). `make model-images` refreshes it; add a version by its SDK key.",
        "source": source,
        **{section: {server: entry(name, versions.get(server)) for server, name in configs.items()}
           for section, configs in SECTIONS.items()},
    }


def wheel_source(wheel: Path) -> str:
    match = _WHEEL_VERSION.match(wheel.name)
    return f"sagemaker-core {match['version'] if match else wheel.name}"


def vendored_versions(document: dict[str, Any]) -> dict[str, list[str]]:
    """The versions the document lists, per server and alternative."""
    return {server: list(entry["versions"]) for section in SECTIONS
            for server, entry in document.get(section, {}).items()}


def refresh(wheel: Path, *, images_file: Path = IMAGES_FILE) -> dict[str, Any]:
    """Rewrite the map from the wheel, for the versions it already lists."""
    document = images_document(wheel, versions=vendored_versions(json.loads(images_file.read_text())),
                               source=wheel_source(wheel))
    images_file.write_text(json.dumps(document, indent=2) + "\n")
    return document


if __name__ == "__main__":
    refresh(Path(sys.argv[1]))
