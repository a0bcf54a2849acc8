"""Image URIs resolved offline from model_images.json (the SageMaker SDK's own map, vendored with the
sagemaker-core version it came from), or any ECR image given; and the host AMI an image's CUDA needs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing
from pathlib import Path

import cfnlint
import pytest

from memchat.settings import ModelServer
from memchat_infra.catalog import (
    ALTERNATIVE_SDK_CONFIGS,
    IMAGES_FILE,
    SDK_CONFIGS,
    SECTIONS,
    images_document,
    tag,
    vendored_versions,
)
from memchat_infra.config import MemchatConfig
from memchat_infra.images import INFERENCE_AMI_VERSIONS, EcrImage, UnknownImageError, model_image, server_image

REPO = Path(__file__).resolve().parents[2]
VENDORED = json.loads(IMAGES_FILE.read_text())


def test_tgi_comes_from_the_regions_registry():
    image = server_image("tgi", "ap-south-2", "3.3.6")
    assert image.uri == ("772153158452.dkr.ecr.ap-south-2.amazonaws.com/"
                         "huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04")
    repository = "arn:aws:ecr:ap-south-2:772153158452:repository/huggingface-pytorch-tgi-inference"
    assert image.repository_arn("aws") == repository


def test_vllm_is_hugging_faces_vllm_image_from_the_regions_registry():
    image = server_image("vllm", "eu-central-2", "0.29.0")
    assert image.uri == ("380420809688.dkr.ecr.eu-central-2.amazonaws.com/"
                         "huggingface-vllm:0.29.0-transformers5.15.0-gpu-py312-cu130-ubuntu24.04-v1.0")
    assert image.repository_arn("aws") == "arn:aws:ecr:eu-central-2:380420809688:repository/huggingface-vllm"


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_china_regions_use_their_own_domain(server):
    version = "3.3.6" if server == "tgi" else "0.29.0"
    assert ".dkr.ecr.cn-north-1.amazonaws.com.cn/" in server_image(server, "cn-north-1", version).uri


@pytest.mark.parametrize(("server", "region", "version"), [
    ("tgi", "xx-nowhere-1", "3.3.6"), ("tgi", "us-east-1", "0.0.1"), ("vllm", "us-east-1", "3.3.6"),
    ("lmi", "us-east-1", "0.29.0")])
def test_unknown_servers_regions_and_versions_are_refused(server, region, version):
    with pytest.raises(UnknownImageError):
        server_image(server, region, version)


def test_the_default_versions_are_in_the_map():
    config = MemchatConfig()
    for server in VENDORED["servers"]:
        version = config.vllm_version if server == "vllm" else config.tgi_version
        assert version in VENDORED["servers"][server]["versions"]


def test_the_maps_servers_are_the_backends():
    """One image per value of MEMCHAT_MODEL_SERVER, no more."""
    assert set(SDK_CONFIGS) == set(VENDORED["servers"]) == set(typing.get_args(ModelServer))


def test_lmi_is_recorded_as_an_alternative_the_stack_does_not_deploy():
    """AWS's LMI image is in the map for a team to choose, not a value of MEMCHAT_MODEL_SERVER (the backend does
    not read its JSON-lines stream), so the stack refuses it as a server."""
    lmi = VENDORED["alternatives"]["lmi"]
    assert set(ALTERNATIVE_SDK_CONFIGS) == set(VENDORED["alternatives"]) == {"lmi"}
    assert not set(ALTERNATIVE_SDK_CONFIGS) & set(typing.get_args(ModelServer))
    assert (lmi["sdk_config"], lmi["repository"]) == ("djl-lmi", "djl-inference")
    assert lmi["versions"]["0.38.0"] == "0.38.0-lmi29.0.0-cu130"
    assert lmi["registries"]["us-east-1"] == "763104351884"
    with pytest.raises(UnknownImageError):
        server_image("lmi", "us-east-1", "0.38.0")


@pytest.mark.parametrize(("config", "entry", "expected"), [
    ({"processors": ["gpu"]},
     {"tag_prefix": "2.7.0-tgi3.3.6", "py_versions": ["py311"], "container_version": {"gpu": "cu124-ubuntu22.04"}},
     "2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04"),
    ({"processors": ["gpu"]},
     {"tag_prefix": "0.9", "py_versions": ["py312"], "container_version": {"gpu": "cu130"}, "processor_in_tag": False},
     "0.9-py312-cu130"),
    ({"scope": ["inference"]}, {"tag_prefix": "0.38.0-lmi29.0.0-cu130"}, "0.38.0-lmi29.0.0-cu130"),
])
def test_a_tag_has_only_the_parts_the_sdk_config_gives(config, entry, expected):
    """As image_uris.retrieve builds it: LMI's entries have no processors, py_versions or container_version, so
    their tag is the tag_prefix alone."""
    assert tag(config, entry) == expected


def test_a_given_image_wins_and_is_parsed_for_its_repository():
    uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/vllm-openai:0.9.1"
    image = model_image(server="vllm", region="us-east-1", version="0.29.0", image_uri=uri)
    assert image == EcrImage(uri=uri, account="123456789012", region="eu-west-1", repository="team/vllm-openai")


def test_an_image_outside_ecr_is_refused():
    with pytest.raises(UnknownImageError):
        EcrImage.parse("docker.io/vllm/vllm-openai:latest")


@pytest.mark.parametrize(("tag", "cuda", "ami"), [
    ("2.7.0-tgi3.3.6-gpu-py311-cu124-ubuntu22.04", 12, None),
    ("0.29.0-transformers5.15.0-gpu-py312-cu130-ubuntu24.04-v1.0", 13, "al2023-ami-sagemaker-inference-gpu-4-1"),
    ("0.9.1", None, None),
])
def test_the_host_ami_follows_the_cuda_the_tag_names(tag, cuda, ami):
    image = EcrImage.parse(f"763104351884.dkr.ecr.us-east-1.amazonaws.com/repo:{tag}")
    assert (image.cuda_major, image.inference_ami_version) == (cuda, ami)


def _enums(node: object, key: str) -> list[list[str]]:
    """Every enum of a property named key in a JSON schema."""
    if isinstance(node, dict):
        found = [node[key]["enum"]] if isinstance(node.get(key), dict) and "enum" in node[key] else []
        return found + [enum for value in node.values() for enum in _enums(value, key)]
    if isinstance(node, list):
        return [enum for value in node for enum in _enums(value, key)]
    return []


def test_the_ami_versions_are_cloudformations():
    """The names ProductionVariant.InferenceAmiVersion takes, as CloudFormation's resource schema lists them."""
    schemas = Path(cfnlint.__file__).parent / "data" / "schemas" / "resources"
    enums = {tuple(enum) for path in schemas.glob("*.json") if '"InferenceAmiVersion"' in path.read_text()
             for enum in _enums(json.loads(path.read_text()), "InferenceAmiVersion")}
    assert enums == {INFERENCE_AMI_VERSIONS}


def test_the_map_is_from_the_pinned_sdk():
    """`make model-images` reads the sagemaker-core version infra.mk pins; the map records the one it read."""
    pinned = re.search(r"^SAGEMAKER_CORE \?= (\S+)$", (REPO / "infra" / "infra.mk").read_text(), re.M)[1]
    assert VENDORED["source"] == f"sagemaker-core {pinned}"


@pytest.fixture(scope="module")
def sdk_wheel() -> Path:
    """The sagemaker-core wheel the map says it came from: `make model-images`'s download if it is there, else
    downloaded once (never installed); without a package index the comparison is skipped, saying why."""
    version = VENDORED["source"].removeprefix("sagemaker-core ")
    folder = REPO / ".tools" / f"sagemaker-core-{version}"
    wheels = sorted(folder.glob("sagemaker_core-*.whl"))
    if not wheels:
        download = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                                   "--only-binary=:all:", "--timeout", "30", "-d", str(folder),
                                   f"sagemaker-core=={version}"], capture_output=True, text=True)
        wheels = sorted(folder.glob("sagemaker_core-*.whl"))
        if not wheels:
            pytest.skip(f"sagemaker-core {version} could not be downloaded to compare the vendored image map "
                        f"with (pip: {download.stderr.strip()[-200:]}); run `make model-images` with a package "
                        "index in reach")
    return wheels[0]


def test_the_vendored_map_is_the_sdks(sdk_wheel):
    """Every server's and alternative's tags and per-region registry accounts are the SageMaker SDK's
    (image_uri_config/huggingface-llm.json, huggingface-vllm.json and djl-lmi.json, which `image_uris.retrieve`
    reads)."""
    document = images_document(sdk_wheel, versions=vendored_versions(VENDORED), source=VENDORED["source"])
    assert document["alternatives"]["lmi"] == VENDORED["alternatives"]["lmi"]
    assert document == VENDORED


@pytest.mark.parametrize(("section", "server"), [("servers", "tgi"), ("servers", "vllm"), ("alternatives", "lmi")])
def test_the_map_covers_every_commercial_region_the_sdk_lists(sdk_wheel, section, server):
    from memchat_infra.catalog import sdk_config

    config = sdk_config(sdk_wheel, SECTIONS[section][server])
    newest = max(config["versions"], key=lambda v: tuple(int(p) for p in v.split(".")))
    registries = VENDORED[section][server]["registries"]
    left_out = set(config["versions"][newest]["registries"]) - set(registries)
    assert all(region.startswith(("us-iso", "eu-isoe", "eusc-")) for region in left_out), left_out
    assert {"ap-southeast-5", "mx-central-1"} <= set(registries)


def test_make_model_images_reads_the_pinned_wheel_without_installing_it():
    plan = subprocess.run(["make", "-n", "-B", "model-images"], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout
    assert "pip download" in plan and "--no-deps" in plan and "memchat_infra.catalog" in plan
    assert re.search(r"sagemaker-core==\d", plan)
    assert "pip install" not in plan.split("pip download")[1]
