"""Answering an `adaptiveCard/action` invoke (a click on an `Action.Execute` button): the
card that was clicked, as it should read now, goes back in the invoke response."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import InvokeResponse
from botbuilder.schema import Activity, ActivityTypes
from msrest.serialization import Model

from bot.adapters.teams.cards import CONTENT_TYPE
from bot.core.messages import Form, Message, Reply

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


class InvokeBody(Model):
    """The `adaptiveCard/action` answer: a card, or a message, for the one who clicked."""

    _attribute_map = {  # noqa: RUF012 (msrest.Model declares it an instance variable)
        "status_code": {"key": "statusCode", "type": "int"},
        "type": {"key": "type", "type": "str"},
        "value": {"key": "value", "type": "object"},
    }

    def __init__(self, *, statusCode: int, type: str, value: Any) -> None:
        super().__init__()
        self.status_code, self.type, self.value = statusCode, type, value


async def click_answer(
    reply: Reply,
    *,
    from_form: bool,
    card: Callable[[Message], Awaitable[dict[str, Any]]],
    form_card: Callable[[Form], Awaitable[dict[str, Any]]],
) -> dict[str, Any]:
    """The clicked card as it should read now: redrawn by the click (the ask without its
    buttons), a form (opened, or refused and shown again as typed), or the answer in place
    of a form that was sent. A refused click on a plain button leaves its card as it was,
    and says why."""
    message = reply.message
    if reply.clicked is not None:
        content = await card(reply.clicked)
    elif message is not None and message.form is not None:
        content = await form_card(message.form)
    elif message is not None and from_form:
        content = await card(message)
    else:
        text = message.text if message else ""
        return {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}
    return {"statusCode": 200, "type": CONTENT_TYPE, "value": content}


def invoke_response(body: dict[str, Any]) -> Activity:
    return Activity(
        type=ActivityTypes.invoke_response,
        value=InvokeResponse(status=200, body=InvokeBody(**body)),
    )
