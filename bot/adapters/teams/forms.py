"""Forms as Adaptive Cards (inputs, and a refused submission's error beside its input),
and what a submitted card sends back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.adapters.teams.cards import (
    ACTION_KEY,
    FORM_KEY,
    VALUE_KEY,
    action,
    card,
    neutral,
    rich,
    run,
    teams_words,
)
from bot.core.messages import Form, Input
from bot.core.texts import platforms as tx


def form_card(form: Form, people: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """A form as a card; `people` are the (user id, name) choices for member inputs. A
    refused form shows what was wrong beside the input it is about (else above them all)."""
    body: list[dict[str, Any]] = [rich(run(form.title, weight="bolder", size="medium"))]
    problem = rich(run(teams_words(form.error or ""), color="attention"), spacing="small")
    if form.error and form.error_input not in {i.name for i in form.inputs}:
        body.append(problem)
    for i in form.inputs:
        body.append(form_input(i, people))
        if form.error and form.error_input == i.name:
            body.append(problem)
    if form.typed_hint:
        body.append(rich(run(teams_words(form.typed_hint), isSubtle=True, size="small")))
    submit = action(form.submit_label, form.action, form.value, "primary", form=True)
    return card(body, [submit])


def form_input(i: Input, people: Sequence[tuple[str, str]]) -> dict[str, Any]:
    common: dict[str, Any] = {"id": i.name, "label": neutral(i.label)}
    if i.required:
        common |= {"isRequired": True, "errorMessage": tx.required(i.label)}
    if i.kind == "toggle":
        return {
            "type": "Input.Toggle",
            "id": i.name,
            "title": neutral(i.label),
            "value": "true" if i.initial == "true" else "false",
            "valueOn": "true",
            "valueOff": "false",
            "wrap": True,
        }
    if i.kind in ("member", "members"):
        return {
            "type": "Input.ChoiceSet",
            **common,
            "isMultiSelect": i.kind == "members",
            "style": "compact",
            "choices": [{"title": neutral(name), "value": uid} for uid, name in people[:100]],
        } | ({"value": i.initial} if i.initial else {})
    field: dict[str, Any] = {"type": "Input.Text", **common}
    if i.kind == "multiline":
        field["isMultiline"] = True
    if i.max_length:
        field["maxLength"] = i.max_length
    if i.placeholder:
        field["placeholder"] = neutral(i.placeholder)
    if i.initial:
        field["value"] = i.initial
    return field


def submitted(data: Any) -> tuple[str, str, tuple[tuple[str, str], ...]] | None:
    """(action, value, input fields) from a card's `Action.Execute`/`Action.Submit` data."""
    if not isinstance(data, dict) or not isinstance(data.get(ACTION_KEY), str):
        return None
    fields = tuple(
        (str(k), v if isinstance(v, str) else str(v))
        for k, v in data.items()
        if k not in (ACTION_KEY, VALUE_KEY, FORM_KEY, "msteams") and v is not None
    )
    return data[ACTION_KEY], str(data.get(VALUE_KEY, "")), fields
