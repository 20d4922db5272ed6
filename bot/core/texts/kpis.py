"""What the bot says about KPIs: readings, logging, definitions, sources, pushes and API
keys. Values arrive already shown with their units."""

from __future__ import annotations

from bot.core.texts import plural

BUILT_IN_LABELS = {
    "hero_moments": "Hero moments per day",
    "gifts_approved": "Gifts approved",
    "gift_spend": "Gift spend this month",
    "followups_on_time": "Follow-ups done on time (7 days)",
    "followups_overdue": "Follow-ups overdue",
    "approval_time": "Median approval time",
    "voice_csat": "Customer satisfaction (1–5, 30 days)",
    "voice_nps": "Net promoter score (30 days)",
    "recovery_rate": "Service recoveries that won the customer back (30 days)",
    "first_contact": "Median time to reach an unhappy customer (30 days)",
    "open_cases": "Open recovery cases",
}

PRESET_LABELS = {
    "answer_time": "Average time to answer",
    "csat": "CSAT (1–5)",
    "nps": "NPS (−100…100)",
    "ces": "Customer Effort Score (1–7)",
    "prospects": "New prospects per day",
}

# A value against its target
ON_TARGET, NEAR, OFF, NO_TARGET, NO_VALUE = "on target", "near", "off", "no target", "no value"


def scale(low: str | None, high: str | None) -> str:
    if low is not None and high is not None:
        return f"from {low} to {high}"
    return f"{low} or more" if low is not None else f"{high} or less"


def outside_scale(value: str, label: str, scale: str) -> str:
    return f"{value} is outside the scale of {label}: give a value {scale}."


def versus_average(arrow: str, change: str) -> str:
    return f"{arrow}{change} vs 7-day avg"


# Why a KPI's HTTP source gave no value (shown after the KPI in readings)
def pointer_without_slash(pointer: str) -> str:
    return f"the pointer {pointer!r} must start with /"


def nothing_at(pointer: str) -> str:
    return f"nothing at {pointer}"


NOT_A_NUMBER_BOOL = "the value is true/false, not a number"
NOT_FINITE = "the value is not a finite number"


def not_a_number_text(text: str) -> str:
    return f"the value {text[:40]!r} is not a number"


def not_a_number_type(kind: str) -> str:
    return f"the value is {kind}, not a number"


def no_value(label: str, problem: str | None) -> str:
    return f"{label}: no value yet" + (f" ({problem})" if problem else "")


def reading(label: str, value: str) -> str:
    return f"{label}: {value}"


def stale(day: str) -> str:
    return f" (stale: from {day})"


def against(target: str, verdict: str) -> str:
    return f" (target {target}, {verdict})"


def poll_failed(error: str) -> str:
    return f"last poll failed: {error}"


def readings_title(day: str) -> str:
    return f"KPIs for {day}"


def computed(key: str) -> str:
    return f'"{key}" is computed from the data; it can\'t be logged by hand.'


def no_kpi_to_log(key: str, known: str) -> str:
    known = known or "none yet (an admin adds them: /wow admin kpi define …)"
    return f'There is no KPI "{key}". KPIs you can log: {known}.'


def future_day(day: str) -> str:
    return f"{day} is in the future; log values for today or earlier."


def too_old(day: str) -> str:
    return f"{day} is more than a year ago; log values from the last year."


def logged(day: str, line: str) -> str:
    return f"Logged for {day}: {line}"


# Status and history.
def source_line(kind: str) -> str:
    return f"source: {kind}"


def latest(value: str, day: str) -> str:
    return f"latest: {value} on {day}"


NO_LATEST = "latest: no value yet"


def polls(url: str, pointer: str | None, minutes: int) -> str:
    return f"polls {url} at {pointer or '(the body)'} every {minutes} min"


def last_read(when: str) -> str:
    return f"last read: {when}"


def next_poll(when: str) -> str:
    return f"next poll: {when}"


def status_section(label: str, key: str) -> str:
    return f"{label} ({key})"


NO_OWN_KPIS = (
    "No KPIs of your own yet. An admin adds one with /wow admin kpi enable csat, "
    "or /wow admin kpi define …."
)
SOURCES_TITLE = "KPI sources"


def kpi_count(n: int) -> str:
    return plural(n, "KPI")


def no_daily(key: str, known: str) -> str:
    return f'There is no daily KPI "{key}". KPIs with a history: {known}.'


def no_values_within(label: str, days: int) -> str:
    return f"{label}: no values in the last {days} days."


def history_line(day: str, value: str, verdict: str | None) -> str:
    return f"{day}: {value}" + (f" ({verdict})" if verdict else "")


def history_summary(count: int, low: str, high: str, average: str) -> str:
    return f"{plural(count, 'value')}; low {low}, high {high}, average {average}"


def history_title(label: str, days: int) -> str:
    return f"{label}, last {days} days"


SUMMARY, LATEST = "Summary", "Latest"


# Definitions and sources (admins).
def built_in_key(key: str) -> str:
    return f'"{key}" is a built-in KPI; pick another key.'


def how_to_feed(kind: str, key: str) -> str:
    return {
        "manual": f"Log values with /wow kpi log {key} <value>.",
        "push": f"Push values to POST /api/kpis/{key} with an API key.",
        "http": f"Point it at a URL: /wow admin kpi source {key} http <url>.",
    }[kind]


def defined(key: str, label: str, target: str | None, direction: str, how: str) -> str:
    aim = f", target {target}" if target else ""
    return f"KPI {key} ({label}{aim}, {direction} is better) is defined. {how}"


def enabled(key: str, label: str, target: str, direction: str, near: str, scale: str) -> str:
    return (
        f"KPI {key} enabled: {label}, target {target}, {direction} is better, near within "
        f"{near}, values {scale}. Log it with /wow kpi log {key} <value>, or give it a source "
        f"with /wow admin kpi source {key} push|http …"
    )


def undefined(key: str) -> str:
    return f'There is no KPI "{key}"; define it first with /wow admin kpi define or enable.'


def by_hand(key: str) -> str:
    return f"KPI {key} now takes its values by hand: log values with /wow kpi log."


def pushed(key: str) -> str:
    return (
        f"KPI {key} now takes pushed values: push values to POST /api/kpis/{key} with an API key."
    )


def polled(key: str, url: str, pointer: str | None, minutes: int, auth: bool) -> str:
    secret = " with an auth header (kept secret)" if auth else ""
    return (
        f"KPI {key} is read from {url} at {pointer or '(the whole body)'} every {minutes} "
        f"min{secret}. First poll now; see /wow kpi status."
    )


def no_such_kpi(key: str) -> str:
    return f'There is no KPI "{key}".'


def removed(key: str) -> str:
    return f"Removed the KPI {key} and its values."


def key_exists(label: str) -> str:
    return f'There is an API key "{label}" already; revoke it first or pick another label.'


def key_created(label: str, api_key: str) -> str:
    return (
        f'API key "{label}" created. It is shown only this once; keep it somewhere safe:\n'
        f"{api_key}\n"
        "Push a value: POST /api/kpis/<key> with the header Authorization: Bearer <the API key> "
        'and the body {"value": 3.8, "date": "2026-11-21"} (date optional).'
    )


def no_such_key(label: str, known: str) -> str:
    return f'There is no API key "{label}". Keys: {known or "none"}.'


def key_revoked(label: str) -> str:
    return f'API key "{label}" is revoked; pushes with it now get 401.'


NO_KEYS = "No API keys. Create one with /wow admin apikey create [label]."
KEYS_TITLE = "API keys (the keys themselves are never shown again)"


def key_line(label: str, created: str) -> str:
    return f"{label}: created {created}"


# Pushes (POST /api/kpis/<key>) and polls.
BODY = 'Send JSON like {"value": 3.8, "date": "2026-11-21"} (date optional, YYYY-MM-DD).'
NOT_AN_OBJECT = f"The body is not a JSON object. {BODY}"
NOT_A_NUMBER = f'"value" must be a number. {BODY}'
OUT_OF_RANGE = f'"value" must be a number from -10^12 to 10^12. {BODY}'
NOT_A_DATE = f'"date" must be YYYY-MM-DD. {BODY}'
NO_KEY = (
    "Missing or unknown API key. Send Authorization: Bearer <key>; an admin creates one "
    "with /wow admin apikey create."
)


def unknown_fields(names: str) -> str:
    return f"Unknown field(s) {names}. {BODY}"


def pushed_future(day: str, today: str) -> str:
    return f'"date" {day} is in the future (today is {today}).'


def pushed_too_old(day: str) -> str:
    return f'"date" {day} is more than a year ago.'


def cannot_push(key: str, built_in: bool, known: str) -> str:
    why = "it is computed from the data" if built_in else "no such KPI is defined"
    return f'Cannot push to KPI "{key}": {why}. KPIs: {known}.'


def no_longer_defined(key: str) -> str:
    return f"the KPI {key} is no longer defined"


def unexpected(kind: str) -> str:
    return f"unexpected error: {kind}"
