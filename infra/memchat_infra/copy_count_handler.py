"""The copy count a deploy gives the inference component: on create the configured one, on every later update
the count the component runs now (what target tracking or the night schedule set), read from SageMaker.

CloudFormation sends the template's RuntimeConfig.CopyCount with an update of the component, so a fixed number
there would drop scaled-out copies by day and start a GPU at night. This module is the code of a CloudFormation
custom resource, inlined into its Lambda function (ZipFile code, for which CloudFormation provides cfnresponse
when the module says exactly `import cfnresponse`).
"""

import cfnresponse


def desired_copy_count(sagemaker, component, fallback):
    """The copy count Application Auto Scaling last asked for; fallback when the component does not exist."""
    try:
        described = sagemaker.describe_inference_component(InferenceComponentName=component)
    except sagemaker.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] == "ValidationException" and "Could not find" in str(exc):
            return fallback
        raise
    return int(described["RuntimeConfig"]["DesiredCopyCount"])


def copy_count(event, sagemaker):
    properties = event["ResourceProperties"]
    initial = int(properties["InitialCopyCount"])
    if event["RequestType"] == "Update":
        return desired_copy_count(sagemaker, properties["InferenceComponentName"], initial)
    return initial


def handler(event, context, sagemaker=None):
    name = event["ResourceProperties"]["InferenceComponentName"]
    try:
        data = {}
        if event["RequestType"] != "Delete":
            if sagemaker is None:
                import boto3

                sagemaker = boto3.client("sagemaker")
            data = {"CopyCount": copy_count(event, sagemaker)}
    except Exception as exc:  # noqa: BLE001
        # Every failure is answered: CloudFormation would wait an hour for a custom resource that never answers.
        print(f"copy count of {name}: {type(exc).__name__}: {exc}")
        cfnresponse.send(event, context, cfnresponse.FAILED, {}, name)
        return
    print(f"copy count of {name}: {data}")
    cfnresponse.send(event, context, cfnresponse.SUCCESS, data, name)
