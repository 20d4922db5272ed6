"""What the bot says about follow-ups: adding, listing, reminding, and changing them.
Times arrive already shown in the reader's zone."""

from __future__ import annotations


def added(followup_id: int, customer: str, due: str, note: str | None) -> str:
    told = f": {note}" if note else ""
    return f"Follow-up #{followup_id} with {customer} on {due}{told}. I'll remind you by DM."


def listed(
    followup_id: int, owner: str | None, customer: str, due: str, late: bool, note: str | None
) -> str:
    who = f"{owner}: " if owner else ""
    overdue = " (overdue)" if late else ""
    told = f": {note}" if note else ""
    return f"#{followup_id} {who}{customer} on {due}{overdue}{told}"


LISTS = {
    "mine": "Your open follow-ups",
    "team": "The team's open follow-ups",
    "overdue": "Overdue follow-ups",
}


def origin(gift_id: int | None, case_id: int | None = None) -> str:
    if case_id is not None:
        return f"from service recovery case #{case_id}"
    return f"from gift #{gift_id}" if gift_id is not None else "added by you"


DONE, SNOOZE_DAY, SNOOZE_WEEK = "Done", "Snooze 1 day", "Snooze 1 week"
FIELDS = {"customer": "Customer", "due": "Due", "origin": "Origin", "note": "Note"}


def reminder_title(customer: str, *, nudge: bool) -> str:
    return (
        f"Still to do: follow up with {customer}" if nudge else f"Time to follow up with {customer}"
    )


def check_in(customer: str, note: str | None) -> str:
    return f"Check in with {customer}: {note}" if note else f"Check in with {customer}."


def grouped_title(count: int, part: int, parts: int) -> str:
    of = f" ({part} of {parts})" if parts > 1 else ""
    return f"{count} follow-ups to do{of}"


GROUPED_TEXT = "Time to check in with these customers."


def section_title(followup_id: int, customer: str, *, nudge: bool) -> str:
    title = f"Still to do: {customer}" if nudge else f"Follow up with {customer}"
    return f"#{followup_id} {title}"


def field_line(label: str, value: str) -> str:
    return f"{label}: {value}"


# Changes.
def no_such_followup(typed: str) -> str:
    return f"Follow-up #{typed} doesn't exist in this workspace."


def not_yours(followup_id: int) -> str:
    return (
        f"Follow-up #{followup_id} is someone else's; only they, managers and admins can change it."
    )


def closed_as(followup_id: int, status: str) -> str:
    return f"Follow-up #{followup_id} is {status} already."


def closed(followup_id: int) -> str:
    return f"Follow-up #{followup_id} is closed already."


def state_after(status: str) -> str:
    return f"{status.capitalize()}."


REMINDED_LATER = "Reminded again in a later message."


def snoozed_until(due: str) -> str:
    return f"Snoozed: now due {due}."


def done_in_reminder(customer: str) -> str:
    return f"Followed up with {customer}. Done."


def done(followup_id: int, customer: str) -> str:
    return f"Follow-up #{followup_id} with {customer} is done. Nice work!"


def not_a_snooze(typed: str) -> str:
    return f'"{typed}" is not a snooze length.'


def snoozed_in_reminder(span: str, customer: str, due: str) -> str:
    return f"Snoozed {span}: {customer} on {due}."


def snoozed(followup_id: int, customer: str, span: str, due: str) -> str:
    return f"Snoozed follow-up #{followup_id} with {customer} by {span}: now due {due}."


def cancelled_in_reminder(customer: str) -> str:
    return f"Follow-up with {customer} cancelled."


def cancelled(followup_id: int, customer: str) -> str:
    return f"Cancelled follow-up #{followup_id} with {customer}."


def moved_in_reminder(customer: str, due: str) -> str:
    return f"Moved: {customer} on {due}."


def moved(followup_id: int, customer: str, due: str) -> str:
    return f"Moved follow-up #{followup_id} with {customer} to {due}."


def noted(followup_id: int, customer: str, note: str) -> str:
    return f"Follow-up #{followup_id} with {customer}: {note}"
