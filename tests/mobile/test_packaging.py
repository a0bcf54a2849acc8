"""What `flet build` will package: only modules a phone can have, and the configuration it reads."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MOBILE = REPO / "mobile"
# On a phone: the standard library, flet and its pure-Python dependencies, pydantic (pydantic-core comes
# from Flet's mobile index), and the two protocol modules staged from backend/ (see mobile/README.md).
ON_DEVICE = {"flet", "flet_secure_storage", "pydantic", "certifi", "memchat_mobile", "memchat.frames",
             "memchat.errors"}
STAGED = ("errors.py", "frames.py")


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def foreign(names: set[str]) -> set[str]:
    def allowed(name: str) -> bool:
        top = name.split(".")[0]
        return (top in sys.stdlib_module_names or top == "__future__" or name in ON_DEVICE
                or top in {n for n in ON_DEVICE if "." not in n})

    return {name for name in names if not allowed(name)}


@pytest.mark.parametrize("path", sorted((MOBILE / "src").rglob("*.py")), ids=lambda p: p.name)
def test_the_app_imports_only_what_a_phone_has(path: Path) -> None:
    assert foreign(imports(path)) == set()


@pytest.mark.parametrize("name", STAGED)
def test_the_staged_protocol_modules_need_only_pydantic(name: str) -> None:
    assert foreign(imports(REPO / "backend" / "memchat" / name)) == set()


def test_flet_build_finds_its_configuration_entry_point_and_icon() -> None:
    project = tomllib.loads((MOBILE / "pyproject.toml").read_text())
    flet = project["tool"]["flet"]

    assert {"org", "product", "bundle_id"} <= flet.keys()
    app = MOBILE / flet["app"]["path"]
    assert (app / "main.py").is_file() and (app / "assets" / "icon.png").is_file()
    assert any(d.startswith("flet==") for d in project["project"]["dependencies"])
    assert flet["android"]["dependencies"] == flet["ios"]["dependencies"], "one pydantic for both phones"
