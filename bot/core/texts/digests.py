"""What the bot says about the morning digest: subscriptions and the digest itself."""

from __future__ import annotations

from bot.core.texts import plural

EVERY_DAY, ON_WEEKDAYS = "every day", "on weekdays"


def on_days(days: list[str]) -> str:
    return "on " + ",".join(days)


def no_digest(channel: str) -> str:
    return f"{channel} has no digest. Subscribe it with /wow digest subscribe at 08:30."


NEVER = "never (every day is skipped)"


def schedule(channel: str, when: str, upcoming: str) -> str:
    return f"{channel} at {when}. Next: {upcoming}."


NO_DAYS = "Pick at least one day for the digest."


def subscribed(schedule: str) -> str:
    return f"Digest subscribed: {schedule}"


def unsubscribed(channel: str) -> str:
    return f"{channel} will get no more digests."


def day_passed(day: str) -> str:
    return f"{day} has passed; skip a date from today on."


def skipped(channel: str, day: str, schedule: str) -> str:
    return f"No digest in {channel} on {day}. {schedule}"


def posted(channel: str) -> str:
    return f"Digest posted in {channel}."


def run_line(day: str, status: str, at: str | None) -> str:
    return f"{day}: {status}" + (f" (at {at})" if at else "")


def failure_line(at: str, what: str, error: str) -> str:
    return f"{at}: {what}: {error}"


STATUS_TITLE, DELIVERY_ERRORS = "Digest status", "Delivery errors"
SUBSCRIPTIONS, NO_SUBSCRIPTIONS = (
    "Digest subscriptions",
    "No digests yet: /wow digest subscribe at 08:30",
)

# The digest.
SECTIONS = {
    "kpis": "KPIs",
    "heroes": "Hero moments",
    "gifts": "WOW gifts",
    "followups": "Follow-ups",
    "voice": "Customer voice",
}


def ratings_yesterday(count: int, parts: list[str]) -> str:
    return f"Yesterday: {count:,} rating{'' if count == 1 else 's'}" + (
        f" ({'; '.join(parts)})" if parts else ""
    )


def average_of(average: float, out_of: int) -> str:
    return f"average {average:.1f}/{out_of}"


def thumbs(good: int, bad: int) -> str:
    return f"{good:,} good, {bad:,} bad"


def best_quote(quote: str, customer: str, agent: str | None, score: str) -> str:
    about = f" about {agent}" if agent else ""
    return f'Best: "{quote}" ({customer}{about}, {score})'


def open_cases(count: int, items: str, more: int) -> str:
    rest = f" and {more:,} more" if more > 0 else ""
    return f"Open recovery cases: {count:,}: {items}{rest}"


def case_item(case_id: int, customer: str, age: str, owner: str, overdue: bool) -> str:
    return f"#{case_id} {customer}, {age}, {owner}" + (" (OVERDUE)" if overdue else "")


SOMETHING, QUIET = "Here's how the team is doing.", "A quiet day: nothing to report."
LATE = "(Sent late: the bot was offline at the scheduled time.) "


def title(day: str) -> str:
    return f"WOW digest for {day}"


def heroes_yesterday(count: int) -> str:
    return f"{plural(count, 'hero moment')} yesterday"


def moment(heroes: str, story: str, nominator: str) -> str:
    return f"{heroes}: {story} (by {nominator})"


def pending(count: int, oldest: str, names: str, late: int, sla_hours: int) -> str:
    past = f"; {late:,} past the {sla_hours} h SLA" if late else ""
    return f"{count:,} pending, oldest {oldest}: {names}{past}"


def approved_yesterday(count: int, names: str) -> str:
    return f"{count:,} approved yesterday: {names}"


def sent_yesterday(count: int, names: str) -> str:
    return f"{count:,} sent yesterday: {names}"


def spent(amount: str, budget: str | None) -> str:
    return f"Spent this month: {amount}" + (f" of {budget}" if budget else "")


FOLLOWUP_GROUPS = {"overdue": "Overdue", "today": "Due today"}


def followup_group(label: str, count: int, items: str, more: int) -> str:
    rest = f" and {more:,} more" if more > 0 else ""
    return f"{label} ({count:,}): {items}{rest}"
