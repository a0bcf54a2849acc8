"""The TGI image map (tgi_images.json), refreshed from the SageMaker SDK's own image_uri_config without
installing the SDK: `make tgi-images` downloads the sagemaker-core wheel and reads one JSON file from it.

    python -m memchat_infra.catalog WHEEL   # rewrites tgi_images.json from that wheel
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

IMAGES_FILE = Path(__file__).with_name("tgi_images.json")
# Where the wheel keeps the Hugging Face LLM (TGI) image config.
SDK_CONFIG = "sagemaker/core/image_uri_config/huggingface-llm.json"
# Partitions whose ECR domain images.py knows (amazonaws.com, amazonaws.com.cn); the isolated ones
# (us-iso*, eu-isoe) and the European Sovereign Cloud (eusc) have their own and are left out.
_OTHER_PARTITIONS = re.compile(r"^(us-iso|eu-isoe|eusc-)")
_WHEEL_VERSION = re.compile(r"^sagemaker_core-(?P<version>[^-]+)-")


def sdk_config(wheel: Path) -> dict[str, Any]:
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(SDK_CONFIG))["inference"]


def tag(entry: dict[str, Any]) -> str:
    """The SDK's tag for a GPU image: <tag_prefix>-gpu-<py_version>-<container_version>."""
    (py_version,) = entry["py_versions"]
    return f"{entry['tag_prefix']}-gpu-{py_version}-{entry['container_version']['gpu']}"


def image_map(config: dict[str, Any], *, versions: list[str], source: str) -> dict[str, Any]:
    """The vendored map for these TGI versions: one repository, one tag each, one registry per region."""
    entries = [config["versions"][version] for version in versions]
    (repository,) = {entry["repository"] for entry in entries}
    registries = entries[-1]["registries"]
    for entry in entries:
        shared = set(entry["registries"]) & set(registries)
        assert all(entry["registries"][r] == registries[r] for r in shared), "registries differ between versions"
    return {
        "_about": "Hugging Face TGI inference images (Deep Learning Containers) per region, from the SageMaker "
                  "SDK's image_uri_config/huggingface-llm.json; `make tgi-images` refreshes it. Add a version by "
                  "its SDK key.",
        "source": source,
        "repository": repository,
        "versions": {version: tag(entry) for version, entry in zip(versions, entries, strict=True)},
        "registries": {region: account for region, account in sorted(registries.items())
                       if not _OTHER_PARTITIONS.match(region)},
    }


def refresh(wheel: Path, *, images_file: Path = IMAGES_FILE) -> dict[str, Any]:
    """Rewrite the map from the wheel, for the versions it already lists."""
    current = json.loads(images_file.read_text())
    match = _WHEEL_VERSION.match(wheel.name)
    source = f"sagemaker-core {match['version'] if match else wheel.name}"
    mapping = image_map(sdk_config(wheel), versions=list(current["versions"]), source=source)
    images_file.write_text(json.dumps(mapping, indent=2) + "\n")
    return mapping


if __name__ == "__main__":
    refresh(Path(sys.argv[1]))
