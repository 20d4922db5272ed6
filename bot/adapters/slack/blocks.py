"""Neutral messages and forms as Block Kit, built with slack_sdk's models.

Every piece of user text is escaped (`&`, `<`, `>`) and sent `verbatim`, so nothing a user
typed becomes a ping, a mention or a link; the bot's own mentions come from
`Message.mentions`. Slack's limits (50 blocks, 3000 characters a section, 10 fields of 2000,
75 characters a button, 150 a header) are kept by splitting or trimming with "…".
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.core.messages import Button, Form, Input, Message
from bot.core.texts import platforms as tx
from bot.core.tokens import CHANNEL_REF

MAX_BLOCKS, SECTION, FIELD, FIELDS, BUTTON, HEADER = 50, 3000, 2000, 10, 75, 150
MODAL_TITLE = 24


def escape(text: str) -> str:
    """User text as mrkdwn that links, pings and formats nothing; channels the bot itself
    names become Slack channel links."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return CHANNEL_REF.sub(lambda m: f"<#{m.group(1)}>", text)


def plain(text: str) -> str:
    """Text for plain_text objects (headers, buttons, modal labels): no links there."""
    return CHANNEL_REF.sub(lambda m: f"#{m.group(1)}", text)


def trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text, verbatim=True)


def chunks(lines: list[str], limit: int) -> list[str]:
    """Join lines into pieces of at most `limit` characters, trimming a line too long alone."""
    out, current = [], ""
    for line in lines:
        line = trim(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def to_blocks(message: Message) -> tuple[str, list[dict[str, Any]]]:
    """The fallback text and the blocks of a message."""
    blocks: list[Block] = []
    if message.title:
        blocks.append(HeaderBlock(text=PlainTextObject(text=trim(plain(message.title), HEADER))))
    mentions = " ".join(f"<@{escape(u)}>" for u in message.mentions)
    body = escape(message.text)
    if mentions:
        body = f"{mentions} {body}" if body else mentions
    for piece in chunks(body.splitlines() or [""], SECTION):
        if piece.strip():
            blocks.append(SectionBlock(text=mrkdwn(piece)))
    fields = [
        mrkdwn(trim(f"*{escape(f.label)}*\n{escape(f.value)}", FIELD)) for f in message.fields
    ]
    for start in range(0, len(fields), FIELDS):
        blocks.append(SectionBlock(fields=fields[start : start + FIELDS]))
    for section in message.sections:
        lines = [f"*{escape(section.title)}*", *(escape(line) for line in section.lines)]
        blocks.extend(SectionBlock(text=mrkdwn(piece)) for piece in chunks(lines, SECTION))
        if section.buttons:  # action ids repeat across blocks; Slack wants them unique in one
            blocks.append(actions(section.buttons))
    if message.footer:
        blocks.append(ContextBlock(elements=[mrkdwn(trim(escape(message.footer), SECTION))]))
    last = [actions(message.buttons)] if message.buttons else []
    if len(blocks) + len(last) > MAX_BLOCKS:  # keep the buttons, say that more was left out
        more = ContextBlock(elements=[mrkdwn(tx.MORE_THAN_FITS)])
        blocks = [*blocks[: MAX_BLOCKS - 1 - len(last)], more]
    blocks.extend(last)
    fallback = escape(trim(" ".join(p for p in (message.title, message.text) if p), 3000))
    fallback = f"{mentions} {fallback}" if mentions else fallback
    return fallback, [b.to_dict() for b in blocks]


def actions(buttons: tuple[Button, ...]) -> ActionsBlock:
    return ActionsBlock(
        elements=[
            ButtonElement(
                text=PlainTextObject(text=trim(b.label, BUTTON)),
                action_id=b.action,
                value=b.value,
                style=b.style,
            )
            for b in buttons[:25]
        ]
    )


def to_element(spec: Input) -> Any:
    if spec.kind == "members":
        return UserMultiSelectElement(action_id=spec.name)
    if spec.kind == "member":
        return UserSelectElement(action_id=spec.name)
    if spec.kind == "toggle":
        yes = Option(value="true", text=PlainTextObject(text="Yes"))
        return CheckboxesElement(
            action_id=spec.name,
            options=[yes],
            initial_options=[yes] if spec.initial == "true" else None,
        )
    return PlainTextInputElement(
        action_id=spec.name,
        multiline=spec.kind == "multiline",
        max_length=spec.max_length,
        initial_value=spec.initial,
    )


def to_modal(form: Form, *, channel: str) -> dict[str, Any]:
    """A modal for a form; `private_metadata` carries what the submission needs back."""
    blocks = [
        InputBlock(
            block_id=spec.name,
            label=PlainTextObject(text=trim(spec.label, 2000)),
            element=to_element(spec),
            optional=not spec.required,
        )
        for spec in form.inputs
    ]
    view = View(
        type="modal",
        callback_id=form.action,
        title=PlainTextObject(text=trim(form.title, MODAL_TITLE)),
        submit=PlainTextObject(text=trim(form.submit_label, MODAL_TITLE)),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"value": form.value, "channel": channel}),
        blocks=blocks,
    )
    return view.to_dict()


def from_state(state: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The submitted values of a modal, as (input name, text) pairs."""
    fields = []
    for block_id, actions in state.get("values", {}).items():
        for data in actions.values():
            kind = data.get("type")
            if kind == "multi_users_select":
                value = ",".join(data.get("selected_users") or [])
            elif kind == "users_select":
                value = data.get("selected_user") or ""
            elif kind == "checkboxes":
                value = "true" if data.get("selected_options") else "false"
            else:
                value = data.get("value") or ""
            fields.append((block_id, value))
    return tuple(fields)


def home_view(message: Message) -> dict[str, Any]:
    _, blocks = to_blocks(message)
    return View(type="home", blocks=blocks[:100]).to_dict()
