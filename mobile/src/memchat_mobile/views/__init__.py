"""Thin Flet components bound to the observable state; every element a test touches has a Semantics identifier."""
