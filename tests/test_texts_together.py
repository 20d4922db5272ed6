"""STYLE: user-facing texts live together (bot/core/texts), so wording stays the same on
every platform. The handlers and the core's parsers build answers from those texts and hold
no sentence of their own; this reads their source and names any sentence that crept back in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.core.limits import LIMITS

BOT = Path(__file__).resolve().parent.parent / "bot"
TEXTS = BOT / "core" / "texts"
WORD = re.compile(r"[A-Za-z]{2,}")
# Not read by people: log lines, outbox descriptions (operators' view) and message keys.
NOT_SHOWN = {"description", "key", "update_key"}
LOGGING = {"debug", "info", "warning", "error", "exception"}
# Operators' words: why a send failed (the outbox and logs) and HTTP errors for API callers.
# And patterns, which are read by `re`, not by people.
OPERATORS = {"DeliveryError", "FetchError", "json_response", "compile"}


def sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in LOGGING:
                skip.update(id(n) for n in ast.walk(node))
            if getattr(node.func, "id", getattr(node.func, "attr", None)) in OPERATORS:
                skip.update(id(n) for n in ast.walk(node))
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("wil", "write_it_like") and len(node.args) == 2:  # ("…", "gift checks")
                skip.add(id(node.args[1]))  # the command whose usage is shown
            for kw in node.keywords:
                if kw.arg in NOT_SHOWN:
                    skip.update(id(n) for n in ast.walk(kw.value))
        if isinstance(node, ast.Subscript):  # a key: LIMITS["user id"]
            skip.update(id(n) for n in ast.walk(node.slice))
        if isinstance(node, ast.Dict):  # words the bot reads: {"next week": …}
            skip.update(id(k) for k in node.keys if k is not None)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if text in LIMITS:  # a limit's name ("user id"), which its message names too
            continue
        if len(text.split()) >= 2 and len(WORD.findall(text)) >= 2:  # not an id or a key
            found.append(f"{path.name}:{node.lineno}: {text!r}")
    return found


def _sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if TEXTS not in p.parents)


def test_the_handlers_say_nothing_that_is_not_in_bot_core_texts() -> None:
    found = [s for path in _sources(BOT / "handlers") for s in sentences(path)]
    assert not found, "sentences outside bot/core/texts:\n" + "\n".join(found)


def test_the_adapters_say_nothing_that_is_not_in_bot_core_texts() -> None:
    found = [s for path in _sources(BOT / "adapters") for s in sentences(path)]
    assert not found, "sentences outside bot/core/texts:\n" + "\n".join(found)


def test_the_cores_parsers_say_nothing_that_is_not_in_bot_core_texts() -> None:
    sources = _sources(BOT / "core")
    assert BOT / "core" / "parsing.py" in sources and TEXTS / "gifts.py" not in sources
    found = [s for path in sources for s in sentences(path)]
    assert not found, "sentences outside bot/core/texts:\n" + "\n".join(found)


def test_the_check_finds_a_sentence_written_in_a_handler(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring is fine."""\n'
        "def f(ctx, n):\n"
        '    log.warning("a log line is fine %s", n)\n'
        '    send(msg, description=f"gift #{n} to someone")\n'
        '    return Reply.private(f"You approved gift #{n}.")\n'
        'WORDS = {"next week": 7}\n'
        'wil("Say when to move it.", "gift checks")\n',
        encoding="utf-8",
    )
    assert sorted(sentences(sample)) == [
        "sample.py:5: 'You approved gift #{}.'",
        "sample.py:7: 'Say when to move it.'",
    ]
