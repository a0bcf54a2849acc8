"""Image URIs resolved offline: TGI per region from tgi_images.json, or any ECR image given."""

from __future__ import annotations

import pytest

from memchat_infra.images import EcrImage, UnknownImageError, model_image, tgi_image


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
