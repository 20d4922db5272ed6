"""What the bot says to admins: roles, channels, values, budget, SLA, follow-up days."""

from __future__ import annotations

from bot.core.texts import plural


def last_admin(name: str) -> str:
    return f"{name} is the last admin; add another admin first."


def _are(names: list[str]) -> str:
    return f"{', '.join(names)} {'is' if len(names) == 1 else 'are'}"


def role_unchanged(names: list[str], role: str, *, adding: bool) -> str:
    if adding:
        return f"Nothing changed: {_are(names)} already {_role(role, len(names))}."
    return f"Nothing changed: {_are(names)} not {_role(role, len(names))}."


def role_changed(names: list[str], role: str, *, adding: bool) -> str:
    return f"{_are(names)} {'now' if adding else 'no longer'} {_role(role, len(names))}."


def _role(role: str, count: int) -> str:
    if count != 1:
        return f"{role}s"
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"


CHANNEL_FOR = {
    "wall": "Hero moments",
    "gifts": "Gift proposals",
    "recovery": "Service recovery cases",
}


def channel_set(what: str, channel: str, waiting: int = 0) -> str:
    said = f"{what} now go to {channel}."
    if waiting:
        said += (
            f" {plural(waiting, 'recovery case')} that came in while there was no channel "
            f"{'is' if waiting == 1 else 'are'} posted there now."
        )
    return said


def roles(managers: str, admins: str) -> str:
    return (
        f"Managers: {managers or 'none'}.\nAdmins: {admins or 'none'} (admins decide gifts "
        "too).\nChange them with /wow admin managers add|remove @a or /wow admin admins …"
    )


NO_SLUG = "Give the value a name with letters or digits, e.g. Own It."


def value_exists(name: str, slug: str) -> str:
    return f'"{name}" (#{slug}) is a value already.'


def value_added(name: str, slug: str) -> str:
    return f"Added the value {name} (#{slug})."


def no_such_value(name: str, known: str) -> str:
    return f'"{name}" is not a value. Values: {known or "none"}.'


def value_removed(name: str, slug: str) -> str:
    return f"Removed the value {name} (#{slug})."


def budget_set(amount: str) -> str:
    return f"The monthly gift budget is {amount}."


def counted_in(after: str, before: str) -> str:
    return f" Budgets are now counted in {after}, not {before}."


def old_spend(spent: str, before: str, after: str, zero: str) -> str:
    return (
        f" The {spent} approved this month in {before} is not counted against it; this "
        f"month's {after} spending starts at {zero}."
    )


def old_proposals(count: int, before: str, ids: str, after: str) -> str:
    return (
        f" {plural(count, 'proposal')} in {before} ({ids}) can't be approved against it; "
        f"propose them again in {after}."
    )


def sla_set(hours: int) -> str:
    return f"Gifts undecided after {hours} h get a nudge in their thread."


def recovery_sla_set(minutes: int) -> str:
    shown = f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
    return (
        f"An unhappy customer should be reached within {shown}; a case not contacted by then "
        "is escalated to the admins in its thread."
    )


def recovery_followup_set(days: int) -> str:
    return f"Resolving a recovery case creates a follow-up {plural(days, 'day')} later."


def followup_days_set(days: int) -> str:
    return f"Marking a gift as sent creates a follow-up {plural(days, 'day')} later."
