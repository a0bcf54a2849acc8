"""Image URIs resolved offline: TGI per region from tgi_images.json, or any ECR image given."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from memchat_infra.catalog import IMAGES_FILE, image_map, sdk_config
from memchat_infra.images import EcrImage, UnknownImageError, model_image, tgi_image

REPO = Path(__file__).resolve().parents[2]


def test_tgi_comes_from_the_regions_registry():
    image = tgi_image("ap-south-2", "3.3.6")
    assert image.uri == ("772153158452.dkr.ecr.ap-south-2.amazonaws.com/"
                         "huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04")
    repository = "arn:aws:ecr:ap-south-2:772153158452:repository/huggingface-pytorch-tgi-inference"
    assert image.repository_arn("aws") == repository


def test_china_regions_use_their_own_domain():
    assert ".dkr.ecr.cn-north-1.amazonaws.com.cn/" in tgi_image("cn-north-1", "3.3.6").uri


@pytest.mark.parametrize(("region", "version"), [("xx-nowhere-1", "3.3.6"), ("us-east-1", "0.0.1")])
def test_unknown_regions_and_versions_are_refused(region, version):
    with pytest.raises(UnknownImageError):
        tgi_image(region, version)


def test_a_given_image_wins_and_is_parsed_for_its_repository():
    uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/vllm-openai:0.9.1"
    image = model_image(region="us-east-1", tgi_version="3.3.6", image_uri=uri)
    assert image == EcrImage(uri=uri, account="123456789012", region="eu-west-1", repository="team/vllm-openai")


def test_an_image_outside_ecr_is_refused():
    with pytest.raises(UnknownImageError):
        EcrImage.parse("docker.io/vllm/vllm-openai:latest")


@pytest.fixture(scope="module")
def sdk_wheel() -> Path:
    """The sagemaker-core wheel the map says it came from, downloaded once (never installed)."""
    version = json.loads(IMAGES_FILE.read_text())["source"].removeprefix("sagemaker-core ")
    folder = REPO / ".tools" / f"sagemaker-core-{version}"
    wheels = sorted(folder.glob("sagemaker_core-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "-d", str(folder), f"sagemaker-core=={version}"], check=True)
        wheels = sorted(folder.glob("sagemaker_core-*.whl"))
    return wheels[0]


def test_the_vendored_map_is_the_sdks(sdk_wheel):
    """The image tags and per-region registry accounts are the SageMaker SDK's (image_uri_config/
    huggingface-llm.json, which `sagemaker.image_uris.retrieve("huggingface", ...)` reads)."""
    vendored = json.loads(IMAGES_FILE.read_text())
    assert image_map(sdk_config(sdk_wheel), versions=list(vendored["versions"]), source=vendored["source"]) == vendored


def test_the_map_covers_every_commercial_region_the_sdk_lists(sdk_wheel):
    config = sdk_config(sdk_wheel)
    newest = config["versions"][config["version_aliases"]["3.3"]]["registries"]
    registries = json.loads(IMAGES_FILE.read_text())["registries"]
    assert {"ap-east-2", "ap-southeast-5", "mx-central-1", "me-west-1"} <= set(registries)
    left_out = set(newest) - set(registries)
    assert all(region.startswith(("us-iso", "eu-isoe", "eusc-")) for region in left_out), left_out


def test_make_tgi_images_reads_the_wheel_without_installing_it():
    plan = subprocess.run(["make", "-n", "-B", "tgi-images"], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout
    assert "pip download" in plan and "--no-deps" in plan and "memchat_infra.catalog" in plan
    assert "pip install" not in plan.split("pip download")[1]
