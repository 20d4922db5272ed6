"""Adaptive Cards (schema 1.5) from the neutral message model.

Every piece of text goes into a `TextRun`, which Adaptive Cards never run through Markdown,
so `**bold**` and `[click](…)` typed by a user show as typed. A word joiner (U+2060, invisible)
after each `<` and `&` keeps `<at>…</at>`, HTML tags and entities from forming. Whom the bot
means to ping is said in the activity's own text and `entities` (see `mention_parts`), never
inside a card: the 1.5 schema allows no `msteams` property on a card.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.adapters.teams.chart import split_trend, trend_uri
from bot.core.messages import Button, Field, Message
from bot.core.texts import USAGE
from bot.core.texts import platforms as tx
from bot.core.tokens import CHANNEL_REF

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"
JOINER = "\u2060"
MAX_RUN = 2000  # characters in one text run; more is trimmed with "…"
MAX_LINES = 40  # lines shown per section
# Teams refuses a message over about 28 KB; the card stays well under, with room for the
# activity around it. What does not fit is counted in a last line ("… and 12 more").
MAX_CARD_BYTES = 24_000
WRAP_AT, BREAK = 30, "\u200b"
_LONG_TOKEN = re.compile(rf"[^\s{BREAK}]{{{WRAP_AT + 1},}}")
ACTION_KEY, VALUE_KEY, FORM_KEY = "wow_action", "wow_value", "wow_form"
STYLES = {"primary": "positive", "danger": "destructive"}
_UNSAFE_NAME = re.compile(r"[<>&*_\[\]()`~#|\\]")


def neutral(text: str) -> str:
    """Text shown exactly as typed: no tag, mention or entity can form from it, and a long
    unbroken token (a URL) may wrap instead of running off the card's edge."""
    text = text if len(text) <= MAX_RUN else text[: MAX_RUN - 1] + "…"
    text = _LONG_TOKEN.sub(lambda m: _breakable(m.group(0)), text)
    return text.replace("<", "<" + JOINER).replace("&", "&" + JOINER)


def _breakable(token: str) -> str:
    """A zero-width space every WRAP_AT characters: where a line may break, unseen."""
    return BREAK.join(token[i : i + WRAP_AT] for i in range(0, len(token), WRAP_AT))


def run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextRun", "text": neutral(text), **style}


def rich(*runs: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": list(runs), **props}


def card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": VERSION,
        "body": body,
    }
    if actions:
        result["actions"] = actions
    return result


def action(
    title: str, verb: str, value: str, style: str | None = None, *, form: bool = False
) -> dict[str, Any]:
    """A Universal Action that falls back to `Action.Submit` on clients without it; a
    form's says so in its data, so that its answer replaces the form."""
    data = {ACTION_KEY: verb, VALUE_KEY: value} | ({FORM_KEY: "1"} if form else {})
    submit: dict[str, Any] = {"type": "Action.Submit", "title": title[:100], "data": data}
    execute: dict[str, Any] = {
        "type": "Action.Execute",
        "title": title[:100],
        "verb": verb,
        "data": data,
        "fallback": submit,
    }
    if style in STYLES:
        execute["style"] = submit["style"] = STYLES[style]
    return execute


def button(b: Button) -> dict[str, Any]:
    return action(b.label, b.action, b.value, b.style)


def channel_ids(message: Message) -> set[str]:
    """The channels the core names in a message (as `channel_ref` sentinels)."""
    texts = [message.text, message.title or "", message.footer or ""]
    texts += [f.value for f in message.fields]
    texts += [line for section in message.sections for line in section.lines]
    return {m.group(1) for text in texts for m in CHANNEL_REF.finditer(text)}


# `/wow hero …` is how Slack and the console take a command; Teams takes `hero …` (after
# the bot's mention in a channel), so the bot's own hints drop the slash command there.
_SLASH_COMMAND = re.compile(rf"(?<![\w/])/wow (?=(?:{'|'.join([*USAGE, 'help'])})\b)")
_MARKERS = re.compile("[\ue000-\uf8ff]")  # the core's private-use sentinels
_MARKDOWN = re.compile(r"[*_~`|\\\[\]]")  # emphasis, code, tables, links


def teams_words(text: str) -> str:
    return _SLASH_COMMAND.sub("", text)


def with_channel_names(message: Message, names: Mapping[str, str]) -> Message:
    """The message as Teams words it: channels the core names shown by their Teams names
    (ids mean nothing to people), commands without the slash."""

    def show(text: str) -> str:
        named = CHANNEL_REF.sub(lambda m: names.get(m.group(1)) or tx.THAT_CHANNEL, text)
        return teams_words(named)

    return replace(
        message,
        text=show(message.text),
        title=message.title and show(message.title),
        footer=message.footer and show(message.footer),
        fields=tuple(Field(f.label, show(f.value)) for f in message.fields),
        sections=tuple(
            replace(s, lines=tuple(show(line) for line in s.lines)) for s in message.sections
        ),
    )


def to_card(message: Message, channels: Mapping[str, str] | None = None) -> dict[str, Any]:
    message = with_channel_names(message, channels or {})
    body: list[dict[str, Any]] = []
    if message.title:
        body.append(rich(run(message.title, weight="bolder", size="medium")))
    if message.text and any(map(split_trend, message.text.splitlines())):
        body.extend(line_block(line) for line in message.text.splitlines())
    elif message.text:
        body.append(rich(run(message.text)))
    if message.fields:
        body.append(table([(f.label, f.value) for f in message.fields]))
    for section in message.sections:
        body.append(rich(run(section.title, weight="bolder"), separator=True))
        lines = list(section.lines)
        if len(lines) > MAX_LINES:
            lines = [*lines[: MAX_LINES - 1], tx.and_more(len(lines) - MAX_LINES + 1)]
        body.extend(line_block(line) for line in lines)
        if section.buttons:
            body.append({"type": "ActionSet", "actions": [button(b) for b in section.buttons]})
    footer = [rich(run(message.footer, isSubtle=True, size="small"))] if message.footer else []
    actions = [button(b) for b in message.buttons]
    return card(fitted(body, footer, actions), actions)


def line_block(line: str) -> dict[str, Any]:
    """A line of a section; one that ends in a KPI's trend shows it as a small bar chart."""
    trended = split_trend(line)
    if trended is None:
        return rich(run(line), spacing="none")
    text, trend = trended
    chart = {
        "type": "Image",
        "url": trend_uri(trend),
        "altText": tx.trend(len(trend)),
        "height": "20px",
    }
    return {
        "type": "ColumnSet",
        "spacing": "none",
        "columns": [
            {"type": "Column", "width": "stretch", "items": [rich(run(text))]},
            {
                "type": "Column",
                "width": "auto",
                "items": [chart],
                "verticalContentAlignment": "center",
            },
        ],
    }


def _size(element: dict[str, Any]) -> int:
    return len(json.dumps(element, ensure_ascii=False).encode())


def fitted(
    body: list[dict[str, Any]], footer: list[dict[str, Any]], actions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The body, then the footer, within MAX_CARD_BYTES: the last elements of the body give
    way to a line counting them."""
    room = MAX_CARD_BYTES - 400 - sum(map(_size, footer)) - sum(map(_size, actions))
    sizes = [_size(e) + 1 for e in body]
    if sum(sizes) <= room:
        return body + footer
    kept, used = 0, 0
    while kept < len(body) and used + sizes[kept] <= room:
        used, kept = used + sizes[kept], kept + 1
    return [*body[:kept], rich(run(tx.and_more(len(body) - kept))), *footer]


def table(rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Label and value side by side, in columns a proportional font cannot misalign: a row
    of two columns each, weighted alike so that they line up. Cells hold text runs, so
    nothing in them is read as Markdown (a FactSet's would be). Not a `Table`: the 1.5
    schema names its header switch `firstRowAsHeader`, the renderer Teams uses reads
    `firstRowAsHeaders`, so a valid card always showed its first row as a header."""

    def cell(share: int, text: str, **style: Any) -> dict[str, Any]:
        return {"type": "Column", "width": share, "items": [rich(run(text, **style))]}

    return {
        "type": "Container",
        "items": [
            {
                "type": "ColumnSet",
                "spacing": "small",
                "columns": [cell(1, label, weight="bolder"), cell(3, value)],
            }
            for label, value in rows[:MAX_LINES]
        ],
    }


def summary(message: Message, names: Mapping[str, str] | None = None) -> str:
    """The notification preview: one line of plain text, neutralised like card text, with
    no Markdown, mention tags or the core's marker characters."""
    shown = with_channel_names(message, names or {})
    parts = [p for p in (shown.title, shown.text) if p]
    text = " ".join(_MARKERS.sub("", " — ".join(parts)).split())
    return neutral(_MARKDOWN.sub("", text))[:200]


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CONTENT_TYPE, "content": content}


def safe_name(name: str) -> str:
    """A display name fit to stand inside `<at>…</at>` in an activity's Markdown text."""
    return _UNSAFE_NAME.sub("", name).strip() or "colleague"


def mention_parts(people: Sequence[tuple[str, str]]) -> tuple[str, list[dict[str, Any]]]:
    """The activity text and `entities` that ping exactly these (user id, name) people."""
    texts, entities = [], []
    for user_id, name in people:
        tag = f"<at>{safe_name(name)}</at>"
        texts.append(tag)
        entities.append(
            {"type": "mention", "text": tag, "mentioned": {"id": user_id, "name": name}}
        )
    return " ".join(texts), entities
