"""Neutral messages as console text, with buttons numbered uniquely for the session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.messages import Button, Message
from bot.core.tokens import CHANNEL_REF


@dataclass(frozen=True)
class Pressable:
    button: Button
    channel: str  # where the button was shown


class ButtonRegistry:
    def __init__(self) -> None:
        self._buttons: dict[int, Pressable] = {}

    def number(self, button: Button, channel: str) -> int:
        n = len(self._buttons) + 1
        self._buttons[n] = Pressable(button, channel)
        return n

    def get(self, n: int) -> Pressable | None:
        return self._buttons.get(n)


def _render(
    message: Message,
    where: str,
    buttons: ButtonRegistry,
    channel: str,
    name_of: Callable[[str], str] = lambda u: u,
) -> str:
    head = f"[{where}]"
    lines: list[str] = []
    mentions = " ".join(f"@{name_of(u)}" for u in message.mentions)
    first = message.title or message.text
    lines.append(f"{head} {mentions + ' ' if mentions else ''}{first}")
    if message.title and message.text:
        lines.extend(f"  {line}" for line in message.text.splitlines())
    for field in message.fields:
        lines.append(f"  {field.label}: {field.value}")
    for section in message.sections:
        lines.append(f"  {section.title}:")
        lines.extend(f"    {line}" for line in section.lines)
        if section.buttons:
            lines.append("    " + numbered(section.buttons, buttons, channel))
    if message.footer:
        lines.append(f"  {message.footer}")
    if message.buttons:
        lines.append("  " + numbered(message.buttons, buttons, channel))
    return "\n".join(lines)


def numbered(shown: tuple[Button, ...], buttons: ButtonRegistry, channel: str) -> str:
    return "  ".join(f"[{buttons.number(b, channel)}] {b.label}" for b in shown)


def render(
    message: Message,
    where: str,
    buttons: ButtonRegistry,
    channel: str,
    name_of: Callable[[str], str] = lambda u: u,
) -> str:
    """A message as console lines; channels the bot names read as #name."""
    text = _render(message, where, buttons, channel, name_of)
    return CHANNEL_REF.sub(lambda m: f"#{m.group(1)}", text)
