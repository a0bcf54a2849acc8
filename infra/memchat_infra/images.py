"""Container image URIs for the model: the model server's image for a region from model_images.json (the SageMaker
SDK's own map), or any given URI; and the host AMI an image's CUDA needs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_IMAGES_FILE = Path(__file__).with_name("model_images.json")
# account.dkr.ecr.region.amazonaws.com[.cn]/repository:tag (or @digest)
_ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repository>[^:@]+)[:@].+$"
)
# The CUDA toolkit a Deep Learning Container tag names: "...-cu124-..." is CUDA 12.4, "...-cu130-..." 13.0.
_TAG_CUDA = re.compile(r"-cu(?P<major>\d{2})(?P<minor>\d)(?:-|$)")
# The SageMaker host AMI (ProductionVariant InferenceAmiVersion) per CUDA major version an image needs. Without
# one, a real-time g5/g4dn/p4d instance runs NVIDIA driver 470 (CUDA 11.4) and g6/p5 driver 535 (CUDA 12.2)
# (SageMaker Developer Guide, "Best practices to minimize interruptions during GPU driver upgrades"); CUDA 12
# images (TGI) carry their own forward-compatibility libraries, while AWS says CUDA 13 images need the AMI with
# driver 580 ("the default SageMaker host AMI has incompatible NVIDIA drivers for CUDA 13.0 images":
# aws/deep-learning-containers docs/vllm/deployment/sagemaker.md; driver 580 / CUDA 13.0 is
# al2023-ami-sagemaker-inference-gpu-4-1 in the SageMaker API's ProductionVariant.InferenceAmiVersion).
AMI_FOR_CUDA = {13: "al2023-ami-sagemaker-inference-gpu-4-1"}
# The AMI versions CloudFormation accepts (ProductionVariant.InferenceAmiVersion's enum; tests/infra/
# test_images.py checks it against cfn-lint's schema).
INFERENCE_AMI_VERSIONS = (
    "al2-ami-sagemaker-inference-gpu-2", "al2-ami-sagemaker-inference-gpu-2-1", "al2-ami-sagemaker-inference-gpu-3-1",
    "al2-ami-sagemaker-inference-neuron-2", "al2023-ami-sagemaker-inference-gpu-4-1",
)


class UnknownImageError(LookupError):
    """No image is known for that server, region or version."""


@dataclass(frozen=True)
class EcrImage:
    """An image in ECR: what the model role needs to pull it."""

    uri: str
    account: str
    region: str
    repository: str

    @classmethod
    def parse(cls, uri: str) -> EcrImage:
        match = _ECR_URI.match(uri)
        if not match:
            raise UnknownImageError(f"not an ECR image URI: {uri}")
        return cls(uri=uri, **match.groupdict())

    def repository_arn(self, partition: str) -> str:
        return f"arn:{partition}:ecr:{self.region}:{self.account}:repository/{self.repository}"

    @property
    def cuda_major(self) -> int | None:
        """The CUDA major version the tag names, if it names one."""
        match = _TAG_CUDA.search(self.uri.rpartition(":")[2])
        return int(match["major"]) if match else None

    @property
    def inference_ami_version(self) -> str | None:
        """The host AMI this image's CUDA needs; None: SageMaker's default AMI runs it."""
        return AMI_FOR_CUDA.get(self.cuda_major) if self.cuda_major else None


@cache
def images_document() -> dict:
    return json.loads(_IMAGES_FILE.read_text())


def server_versions(server: str) -> list[str]:
    """The versions of a server's image model_images.json knows."""
    return list(images_document()["servers"][server]["versions"])


def server_image(server: str, region: str, version: str) -> EcrImage:
    """The SageMaker image of a model server (tgi, vllm) for a region, resolved offline."""
    servers = images_document()["servers"]
    if server not in servers:
        raise UnknownImageError(f"no image map for model server {server!r}; known: {sorted(servers)}")
    mapping = servers[server]
    if version not in mapping["versions"]:
        known = sorted(mapping["versions"])
        raise UnknownImageError(f"{server} {version} is not in {_IMAGES_FILE.name}; known: {known}")
    if region not in mapping["registries"]:
        raise UnknownImageError(f"no {server} image registry known for {region}; set image_uri instead")
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    account = mapping["registries"][region]
    uri = f"{account}.dkr.ecr.{region}.{suffix}/{mapping['repository']}:{mapping['versions'][version]}"
    return EcrImage(uri=uri, account=account, region=region, repository=mapping["repository"])


def model_image(*, server: str, region: str, version: str, image_uri: str | None) -> EcrImage:
    """The image the endpoint runs: the configured URI, else the server's image for the region."""
    return EcrImage.parse(image_uri) if image_uri else server_image(server, region, version)
