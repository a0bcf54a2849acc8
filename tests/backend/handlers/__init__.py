"""Tests of the Lambda entry points, driven by recorded API Gateway events."""
