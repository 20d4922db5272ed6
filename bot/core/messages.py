"""The neutral message model that handlers produce and adapters render.

All text here is plain: adapters escape it for their platform, so nothing a user
typed can become markup, a ping or a link. Whom the bot means to ping is said
structurally, in `mentions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A titled part of a message; its `buttons` act on what the section shows (one of
    several reminders in one DM, each with its own Done / Snooze)."""

    title: str
    lines: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: Literal["text", "multiline", "toggle", "member", "members"] = "text"
    required: bool = True
    max_length: int | None = None
    placeholder: str | None = None
    initial: str | None = None  # filled in already; a toggle's is "true" or "false"


@dataclass(frozen=True)
class Form:
    """A form (Slack modal, Teams card inputs). `action` receives the submitted values."""

    title: str
    action: str
    value: str
    inputs: tuple[Input, ...]
    submit_label: str = "Submit"
    # How to do the same by typing, for surfaces that cannot show a form (the console).
    typed_hint: str | None = None
    # A submission that was refused, shown again: what was wrong, beside the input it is
    # about (`error_input`, an input's name) or above them all; the inputs keep what was typed.
    error: str | None = None
    error_input: str | None = None

    def refused(self, error: str, typed: dict[str, str], about: str | None = None) -> Form:
        """This form again after a refused submission: what was typed, and why not, beside
        the input `about` (else the first input the error names, else above them all)."""
        inputs = tuple(
            replace(i, initial=typed[i.name]) if i.name in typed else i for i in self.inputs
        )
        lowered = error.lower()
        named = (i.name for i in inputs if i.name in lowered or i.label.lower() in lowered)
        return replace(self, inputs=inputs, error=error, error_input=about or next(named, None))


@dataclass(frozen=True)
class Message:
    text: str
    title: str | None = None
    fields: tuple[Field, ...] = ()
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    footer: str | None = None
    mentions: tuple[str, ...] = ()  # platform user ids the bot means to ping, shown before text
    form: Form | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        form = data.get("form")
        return cls(
            text=data["text"],
            title=data.get("title"),
            fields=tuple(Field(**f) for f in data.get("fields", ())),
            sections=tuple(
                Section(
                    s["title"],
                    tuple(s.get("lines", ())),
                    tuple(Button(**b) for b in s.get("buttons", ())),
                )
                for s in data.get("sections", ())
            ),
            buttons=tuple(Button(**b) for b in data.get("buttons", ())),
            footer=data.get("footer"),
            mentions=tuple(data.get("mentions", ())),
            form=(
                Form(**{**form, "inputs": tuple(Input(**i) for i in form["inputs"])})
                if form
                else None
            ),
        )


@dataclass(frozen=True)
class Destination:
    """Where a message goes: a channel, a thread under an earlier message, a DM, or the
    answer to a request (through the platform's `handle` for it while it is valid, `until`
    an ISO time; after that, or if the platform refuses it, a DM to `member_id`)."""

    kind: Literal["channel", "thread", "dm", "answer"]
    channel: str | None = None
    thread_key: str | None = None
    member_id: int | None = None
    handle: dict[str, Any] | None = None
    until: str | None = None
    public: bool = False

    @classmethod
    def to_channel(cls, channel: str) -> Destination:
        return cls("channel", channel=channel)

    @classmethod
    def to_thread(cls, key: str) -> Destination:
        return cls("thread", thread_key=key)

    @classmethod
    def to_member(cls, member_id: int) -> Destination:
        return cls("dm", member_id=member_id)

    @classmethod
    def to_request(cls, receipt: Receipt, member_id: int | None, *, public: bool) -> Destination:
        until = receipt.until.isoformat() if receipt.until else None
        return cls("answer", member_id=member_id, handle=receipt.answer, until=until, public=public)


@dataclass(frozen=True)
class Receipt:
    """A request the platform sent once (a command, a click, a form) and the bot must handle
    once: `key` is marked done in the same transaction as the request's effects, so a replay
    or a second worker changes nothing. With an `answer` handle (Slack's response_url, valid
    `until`), the answer is an outbox message; `errors_answered=False` leaves expected
    failures to the caller (a form shows them beside its fields)."""

    platform: str
    kind: str
    key: str
    answer: dict[str, Any] | None = None
    until: dt.datetime | None = None
    errors_answered: bool = True


@dataclass(frozen=True)
class Outgoing:
    """A message to deliver through the outbox.

    `key` names it so that later messages can reply in its thread or update it;
    an `update_key` replaces the content of the message sent under that key.
    """

    message: Message
    destination: Destination | None = None
    key: str | None = None
    update_key: str | None = None
    description: str = ""
    # This update redraws the message whose button was pressed (the managers' ask after
    # Approve): a surface that answers a click with the clicked card (Teams) shows it at once.
    redraws_click: bool = False


@dataclass
class Reply:
    """What the invoker sees at once: privately ("only you") or in the channel."""

    message: Message | None = None
    public: bool = False
    error: bool = False  # an expected failure: the message says what was wrong
    field: str | None = None  # the form input the failure is about, if known
    # The messages this call replaced (cheer counts, decisions): a surface that redraws the
    # clicked message at once (Teams' Action.Execute) finds its new content here.
    updates: tuple[Outgoing, ...] = ()
    # Already on its way through the outbox (see `Receipt`): nothing left to show.
    queued: bool = False

    @property
    def clicked(self) -> Message | None:
        """The message whose button was pressed, as it reads now, if this call redrew it."""
        return next((o.message for o in self.updates if o.redraws_click), None)

    @classmethod
    def private(cls, text: str, **kwargs: Any) -> Reply:
        return cls(Message(text=text, **kwargs))

    @classmethod
    def failed(cls, text: str) -> Reply:
        return cls(Message(text=text), error=True)
