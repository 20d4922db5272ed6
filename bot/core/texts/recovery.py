"""What the bot says about service recovery (SPEC §9): the case in its channel, each step
in its thread, the escalation, the follow-up, the lists; and about matching agents."""

from __future__ import annotations

from bot.core.texts import clip, plural

# A case's outcome, as stored and as shown
RECOVERED, NOT_RECOVERED = "recovered", "not recovered"

# The root message of a case
FIELDS = {
    "customer": "Customer",
    "score": "Score",
    "agent": "Agent",
    "ticket": "Ticket",
    "due": "Contact by",
    "owner": "Owner",
    "status": "Status",
    "gift": "WOW gift",
    "outcome": "Outcome",
    "later": "Later feedback",
}


def case_title(case_id: int, customer: str, score: str) -> str:
    return f"Service recovery #{case_id}: {customer} rated {score}"


NO_COMMENT = "(no comment)"
NOBODY = "nobody yet"
UNKNOWN_AGENT = "not matched"


def unmatched_agent(ref: str) -> str:
    return f"{clip(ref, 80)} (not matched to anyone yet)"


def status(status: str, owner: str | None, overdue: bool) -> str:
    shown = {
        "open": "Open: waiting for someone to take it",
        "taken": f"Taken by {owner}: customer not contacted yet",
        "contacted": f"{owner} contacted the customer",
        "resolved": "Resolved",
    }[status]
    return shown + (" (OVERDUE)" if overdue else "")


def gift_shown(gift_id: int, gift: str, status: str) -> str:
    return f"#{gift_id} {clip(gift, 80)} ({status})"


def outcome_shown(outcome: str, note: str | None) -> str:
    return f"{outcome.capitalize()}: {note}" if note else outcome.capitalize()


def later_shown(day: str, score: str, comment: str | None) -> str:
    return f"{day}: {score}" + (f' "{clip(comment, 120)}"' if comment else "")


# The thread
def ask(case_id: int, customer: str, due: str) -> str:
    return (
        f"Who takes case #{case_id}? Reach {customer} by {due}, find out what went wrong, "
        "and put it right."
    )


def next_contact(case_id: int, owner: str, customer: str, due: str) -> str:
    return f"Case #{case_id} is {owner}'s: reach {customer} by {due}, then press Contacted."


def next_resolve(case_id: int, owner: str, customer: str) -> str:
    return (
        f"{owner} has reached {customer} (case #{case_id}). Press Resolved when it is "
        "settled, or propose a WOW gift to make up for it."
    )


NOBODY_TO_ASK = " (There are no managers or admins yet: see /wow admin managers.)"
TAKE = "Take it"
CONTACTED = "Contacted"
RESOLVED = "Resolved"
PROPOSE_GIFT = "Propose a WOW gift"


def closed_ask(case_id: int, outcome: str) -> str:
    return f"Case #{case_id} is resolved: {outcome}."


def took(who: str) -> str:
    return f"{who} took this case."


def contacted(who: str, customer: str) -> str:
    return f"{who} contacted {customer}."


def resolved(who: str, outcome: str, note: str) -> str:
    ended = note if note.endswith((".", "!", "?", "…")) else note + "."
    return f"{who} resolved this case: {outcome}. {ended}"


def checks_back(owner: str, day: str) -> str:
    return f" {owner} checks back with them on {day}."


def gift_proposed(who: str, gift_id: int, gift: str) -> str:
    return (
        f"{who} proposed a WOW gift: {clip(gift, 120)} (gift #{gift_id}); managers decide "
        "it in its own thread."
    )


def gift_decided(gift_id: int, status: str, who: str) -> str:
    return f"Gift #{gift_id} was {status} by {who}."


def escalation(case_id: int, customer: str, late: str, status: str) -> str:
    not_done = "nobody has taken it" if status == "open" else "the customer has not been contacted"
    return (
        f"Case #{case_id} ({customer}) is overdue: {not_done}, {late} after it came in. "
        "Admins, please make sure someone reaches the customer now."
    )


NO_CHANNEL_YET = (
    " It has not been posted anywhere: set a channel for recovery cases with "
    "/wow admin channel recovery #channel and the open cases are posted there."
)


def nowhere(case_id: int, customer: str, score: str) -> str:
    return (
        f"Recovery case #{case_id} opened: {customer} rated {score}. There is no channel "
        "for recovery cases yet, so nobody else has seen it. Set one with /wow admin channel "
        "recovery #channel: this case and any that come in before then are posted there. "
        "Until then, /wow recoveries lists them."
    )


def followed_up(customer: str, score: str, verdict: str) -> str:
    worked = {
        "praise": " The recovery worked.",
        "recovery": " Still unhappy.",
        "neutral": "",
    }[verdict]
    return f"New feedback from {customer}: {score}.{worked}"


def rating_changed(customer: str, before: str, now: str) -> str:
    return f"{customer} changed their rating from {before} to {now}."


# Answers to whoever acted
def you_took(case_id: int, customer: str, due: str) -> str:
    return f"Case #{case_id} is yours. Reach {customer} by {due}, then press Contacted."


def you_contacted(case_id: int, customer: str) -> str:
    return (
        f"Case #{case_id}: noted that you contacted {customer}. Press Resolved when it is settled."
    )


def you_resolved(case_id: int, followup_id: int, customer: str, due: str) -> str:
    return (
        f"Case #{case_id} resolved. I'll remind you {due} to check {customer} is happy now "
        f"(follow-up #{followup_id})."
    )


def case_opened(case_id: int, due: str) -> str:
    return f" A service recovery case (#{case_id}) was opened; someone should reach them by {due}."


def case_followed(case_id: int) -> str:
    return f" It follows case #{case_id} and was added to its thread."


def resolved_for(case_id: int, owner: str, due: str) -> str:
    return f"Case #{case_id} resolved. {owner} owns it and gets a follow-up {due}."


ONLY_MANAGERS_TAKE = "Only managers and admins can take recovery cases."


def taken_already(case_id: int, owner: str) -> str:
    return f"Case #{case_id} is already {owner}'s."


def someone_elses(case_id: int, owner: str) -> str:
    return f"Case #{case_id} is {owner}'s. Only they or an admin can move it on."


def resolved_already(case_id: int) -> str:
    return f"Case #{case_id} is resolved already."


def contacted_already(case_id: int) -> str:
    return f"Case #{case_id} is marked contacted already; press Resolved when it is settled."


def no_such_case(typed: str) -> str:
    return f'There is no recovery case #{clip(typed)}. "/wow recoveries" lists them.'


# The Resolved form
def resolve_title(case_id: int, customer: str) -> str:
    return f"Resolve case #{case_id}: {clip(customer)}"


def resolve_question(case_id: int, customer: str) -> str:
    return f"How did case #{case_id} end with {customer}?"


RECOVERED_LABEL = "Recovered: the customer is happy again"
NOTE_LABEL = "What happened (for the team)"
RESOLVE_SUBMIT = "Resolve"
NO_NOTE = "Say in a few words what happened: the note is how the team learns from the case."


def check_happy(case_id: int) -> str:
    return f"are they happy now, after service recovery case #{case_id}?"


# The gift form, from a case
def gift_for_case(case_id: int) -> str:
    return f"A WOW gift to win back the customer of case #{case_id}."


# Lists
LISTS = {"open": "Open recovery cases", "mine": "Your recovery cases", "all": "Recovery cases"}


def case_line(case_id: int, day: str, customer: str, score: str, state: str) -> str:
    return f"#{case_id} {day} {customer} {score}: {state}"


# Agents: the names a helpdesk gives colleagues
def agent_set(ref: str, name: str, matched: int, was: str | None) -> str:
    text = f'"{clip(ref, 80)}" now means {name}.'
    if was:
        text += f" (It meant {was} before.)"
    if matched:
        counts = "counts" if matched == 1 else "count"
        text += f" {plural(matched, 'earlier rating')} now {counts} for {name}."
    return text


def agent_forgotten(ref: str) -> str:
    return f'"{clip(ref, 80)}" no longer names anyone.'


def agent_unknown(ref: str) -> str:
    return f'"{clip(ref, 80)}" names nobody here already.'


def agents_of(name: str, refs: list[str]) -> str:
    if not refs:
        return f"No helpdesk names for {name}: ratings find them by the email of their profile."
    return f"{name} is {', '.join(refs)} in the helpdesk."


AGENT_HOW = (
    "Mention the colleague, then how the helpdesk names them: their email or the helpdesk's id."
)
UNMATCHED_TITLE = "Feedback not matched to a colleague"


def unmatched_hint() -> str:
    return 'Match one with "/wow admin agent @colleague <name the helpdesk uses>".'


# Typing the steps: the problem half of a "Write it like this" answer
STEP_HOW = "Say which step: take, contacted, resolve or gift, then the case number."
CASE_NUMBER = "Give the case number after the step, e.g. 3 or #3."
GIFT_HOW = "After the case number, write a colon and the gift, as for /wow gift."
OUTCOME_HOW = 'After the case number, say "recovered" or "not recovered", then a colon and a note.'


def nothing_after(step: str) -> str:
    return f'"{step}" takes only the case number.'


def case_customer(case: str) -> str:
    return f"case #{case}"  # stands in for the customer until the case is read


def resolve_typed(case_id: int) -> str:
    return f"/wow recovery resolve {case_id} recovered|not recovered: <note>"


def gift_typed(case_id: int) -> str:
    return f"/wow recovery gift {case_id}: <gift> [$40] [because <why>]"


def has_gift(case_id: int, gift_id: int) -> str:
    return f"Case #{case_id} has a WOW gift already (gift #{gift_id})."


def unmatched_line(feedback_id: int, day: str, customer: str, score: str, ref: str) -> str:
    return f'#{feedback_id} {day} {customer} {score}: agent "{clip(ref, 80)}"'
