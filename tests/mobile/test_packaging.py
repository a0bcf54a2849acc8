"""What `flet build` will package: only modules a phone can have, and the configuration it reads."""

from __future__ import annotations

import ast
import re
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
    """What a module imports, but for what it tries to and does without (`except ImportError`): the web
    server's mend (web_server.py) imports Flet's web server, which a phone has not, only where it is."""
    tree = ast.parse(path.read_text())
    optional = {id(node) for attempt in ast.walk(tree) if isinstance(attempt, ast.Try) and any(
        isinstance(handler.type, ast.Name) and handler.type.id in ("ImportError", "ModuleNotFoundError")
        for handler in attempt.handlers) for statement in attempt.body for node in ast.walk(statement)}
    names = set()
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
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


def test_every_emoji_font_the_web_engine_may_fetch_is_served_from_the_apps_own_font() -> None:
    """Served without a CDN (`make mobile`, the browser test), Flutter's web engine fetches the Noto Color Emoji
    parts it falls back to from the app server (FLET_WEB_NO_CDN: fontFallbackBaseUrl "assets/fonts/"). A text
    laid out before the app's own emoji font has loaded (a conversation read back at once after a reload) made
    it fetch one, which was not there: a 404, and twice in loaded runs the engine then crashed in WebAssembly
    ("null function", "memory access out of bounds") and drew nothing more. Every part it names is served: the
    app's own font, under each part's name."""
    import flet_web

    from memchat_mobile.views.theme import EMOJI_FONT_FILE

    engine = Path(flet_web.__file__).parent / "web" / "main.dart.js"
    parts = set(re.findall(r"notocoloremoji/v\d+/[A-Za-z0-9_-]+\.\d+\.woff2", engine.read_text()))
    assets = MOBILE / "src" / "assets"
    assert len(parts) >= 10, "the engine's list of emoji fallback fonts was not found"
    for part in sorted(parts):
        served = assets / "assets" / "fonts" / part
        assert served.exists(), f"the engine would fetch {part} and find nothing"
        assert served.resolve() == (assets / EMOJI_FONT_FILE).resolve()
