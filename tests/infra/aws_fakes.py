"""A fake of the few AWS calls the pre-flight's checks make, answering from plain data, and raising botocore's
own errors (the leftovers and their cleanup are tested against real clients with botocore's Stubber)."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

__all__ = ["ClientError", "FakeAws", "NotFound", "product"]


class NotFound(ClientError):
    def __init__(self, code: str, operation: str = "Get") -> None:
        super().__init__({"Error": {"Code": code, "Message": f"{code}: not found"}}, operation)


class ParameterNotFound(NotFound):
    pass


class ResourceNotFoundException(NotFound):
    pass


def product(usd_per_hour: float) -> str:
    """A Price List API product as get_products returns it: a JSON document per product."""
    return json.dumps({"product": {"productFamily": "ML Instance"}, "terms": {"OnDemand": {"SKU.TERM": {
        "priceDimensions": {"SKU.TERM.RATE": {"unit": "Hrs", "pricePerUnit": {"USD": f"{usd_per_hour:.7f}"}}}}}}})


class Pages:
    def __init__(self, pages: list[dict[str, Any]], on_paginate=None) -> None:
        self._pages = pages
        self._on_paginate = on_paginate

    def paginate(self, **kwargs: Any) -> list[dict[str, Any]]:
        if self._on_paginate:
            self._on_paginate(kwargs)
        return self._pages


class FakeAws:
    """Every service at once: the checks call each their own few operations."""

    def __init__(self, *, quotas=None, stack_status=None, log_groups=(), logging_role=None, tables=(),
                 account="123456789012", bootstrapped=True, price_list=None, pricing_denied=False,
                 identity_error: Exception | None = None) -> None:
        self.account = account
        self.quotas = quotas if quotas is not None else {"ml.g5.2xlarge for endpoint usage": 4.0}
        self.stack_status = stack_status
        self.log_groups = list(log_groups)
        self.logging_role = logging_role
        self.tables = list(tables)
        self.bootstrapped = bootstrapped
        self.price_list = price_list if price_list is not None else [product(1.515)]
        self.pricing_denied = pricing_denied
        self.identity_error = identity_error
        self.price_queries: list[tuple[str, list[dict[str, str]]]] = []
        self.exceptions = type("Exceptions", (), {"ClientError": ClientError, "ParameterNotFound": ParameterNotFound,
                                                  "ResourceNotFoundException": ResourceNotFoundException})

    def client(self, _service: str) -> FakeAws:
        return self

    def regional(self, _service: str, _region: str) -> FakeAws:
        return self

    def get_paginator(self, operation: str) -> Pages:
        if operation == "list_service_quotas":
            return Pages([{"Quotas": [{"QuotaName": n, "Value": v} for n, v in self.quotas.items()]}])
        if operation == "get_products":
            return Pages([{"PriceList": self.price_list}], on_paginate=self._price_query)
        if operation == "list_stacks":
            return Pages([{"StackSummaries": []}])
        return Pages([{"TableNames": self.tables}])

    def _price_query(self, kwargs: dict[str, Any]) -> None:
        if self.pricing_denied:
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetProducts")
        self.price_queries.append((kwargs["ServiceCode"], kwargs["Filters"]))

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        if self.stack_status is None:
            raise ClientError({"Error": {"Code": "ValidationError", "Message": f"Stack with id {StackName} does "
                                                                              "not exist"}}, "DescribeStacks")
        return {"Stacks": [{"StackName": StackName, "StackId": f"arn:stack/{StackName}/1",
                            "StackStatus": self.stack_status}]}

    def describe_log_groups(self, logGroupNamePrefix: str) -> dict[str, Any]:
        return {"logGroups": [{"logGroupName": g} for g in self.log_groups if g.startswith(logGroupNamePrefix)]}

    def get_caller_identity(self) -> dict[str, Any]:
        if self.identity_error:
            raise self.identity_error
        return {"Account": self.account, "Arn": f"arn:aws:iam::{self.account}:user/deployer", "UserId": "AIDA"}

    def get_account(self) -> dict[str, Any]:
        return {"cloudwatchRoleArn": self.logging_role} if self.logging_role else {}

    def get_parameter(self, Name: str) -> dict[str, Any]:
        if not self.bootstrapped:
            raise ParameterNotFound("ParameterNotFound", "GetParameter")
        return {"Parameter": {"Name": Name, "Value": "30"}}

    def scan(self, TableName: str, **_kwargs: Any) -> dict[str, Any]:
        return {"Count": 0, "ScannedCount": 0}
