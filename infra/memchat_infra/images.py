"""Container image URIs for the model: the TGI image for a region from tgi_images.json, or any given URI."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_IMAGES_FILE = Path(__file__).with_name("tgi_images.json")
# account.dkr.ecr.region.amazonaws.com[.cn]/repository:tag (or @digest)
_ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repository>[^:@]+)[:@].+$"
)


class UnknownImageError(LookupError):
    """No TGI image is known for that region or version."""


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


@cache
def _mapping() -> dict:
    return json.loads(_IMAGES_FILE.read_text())


def tgi_image(region: str, version: str) -> EcrImage:
    """The Hugging Face TGI inference image for a region, resolved offline."""
    mapping = _mapping()
    if version not in mapping["versions"]:
        raise UnknownImageError(f"TGI {version} is not in {_IMAGES_FILE.name}; known: {sorted(mapping['versions'])}")
    if region not in mapping["registries"]:
        raise UnknownImageError(f"no TGI image registry known for {region}; set image_uri instead")
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    account = mapping["registries"][region]
    uri = f"{account}.dkr.ecr.{region}.{suffix}/{mapping['repository']}:{mapping['versions'][version]}"
    return EcrImage(uri=uri, account=account, region=region, repository=mapping["repository"])


def model_image(*, region: str, tgi_version: str, image_uri: str | None) -> EcrImage:
    """The image the endpoint runs: the configured URI, else TGI for the region."""
    return EcrImage.parse(image_uri) if image_uri else tgi_image(region, tgi_version)
