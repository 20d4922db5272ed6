"""The core imports no platform, storage or scheduling library."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.core

FORBIDDEN = (
    "slack_bolt",
    "slack_sdk",
    "botbuilder",
    "botframework",
    "sqlalchemy",
    "apscheduler",
    "aiohttp",
    "httpx",
    "alembic",
)
HANDLERS_FORBIDDEN = FORBIDDEN


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def leaks(package_dir: Path) -> list[str]:
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if name.split(".")[0] in FORBIDDEN:
                found.append(f"{path.name} imports {name}")
    return found


def test_core_imports_no_platform_or_storage_library() -> None:
    core = Path(bot.core.__file__).parent
    assert len(list(core.rglob("*.py"))) > 5
    assert leaks(core) == []


def test_handlers_import_no_platform_or_storage_library() -> None:
    handlers = Path(bot.core.__file__).parent.parent / "handlers"
    assert leaks(handlers) == []


def test_the_check_would_catch_a_leak(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("from sqlalchemy import select\nimport slack_sdk.web\n")
    assert leaks(tmp_path) == ["bad.py imports slack_sdk.web", "bad.py imports sqlalchemy"]
