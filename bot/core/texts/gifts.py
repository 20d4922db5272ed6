"""What the bot says about WOW gifts: proposals, the managers' thread, decisions, sending,
the four checks. Amounts arrive already shown in their currency."""

from __future__ import annotations

from bot.core.texts import clip

# The proposal and its thread.
PROPOSAL_TITLE = "WOW gift #{id} for {customer}"
EARLIER = "Earlier gifts for {customer}"
WAITING = "waiting for a manager"
NOBODY_TO_DECIDE = (
    " Nobody else can decide it yet: an admin can name managers with /wow admin managers add @name."
)
APPROVE, DECLINE, MARK_SENT, CONFIRM_CHECKS = (
    "Approve",
    "Decline",
    "Mark as sent",
    "Confirm the four checks",
)
FIELDS = {
    "customer": "Customer",
    "gift": "Gift",
    "why": "Why",
    "cost": "Cost",
    "proposer": "Proposed by",
    "checks": "Four checks",
    "status": "Status",
    "budget": "Budget",
}


def status(kind: str, decider: str | None, reason: str | None = None) -> str:
    return {
        "proposed": WAITING,
        "declined": f"declined by {decider}: {reason}",
        "sent": f"approved by {decider}, sent",
        "approved": f"approved by {decider}",
    }[kind]


def ask(gift_id: int, customer: str) -> str:
    return f"Please approve or decline gift #{gift_id} for {customer}."


def decided(gift_id: int, verdict: str) -> str:
    return f"Decision on gift #{gift_id}: {verdict}."


def proposed(gift_id: int, customer: str, gift: str, cost: str) -> str:
    return (
        f"Proposed WOW gift #{gift_id} for {customer}: {gift} ({cost}). "
        "A manager decides in the thread."
    )


def budget_unset(spent: str) -> str:
    return f"{spent} approved this month (no budget set)"


def budget_used(spent: str, budget: str, left: str) -> str:
    return f"{spent} of {budget} used this month, {left}"


def more_decimals(cost: str, currency: str) -> str:
    return f"{cost} has more decimals than {currency} has"


LISTS = {
    "pending": "Gifts waiting for a decision",
    "mine": "Your gifts",
    "month": "Gifts this month",
}


def no_such_gift(typed: str) -> str:
    return f"Gift #{typed} doesn't exist in this workspace."


# The form.
FORM_TEXT, FORM_TITLE, FORM_SUBMIT = "Propose a WOW gift", "WOW gift", "Propose"
FORM_LABELS = {
    "customer": "Customer",
    "gift": "Gift",
    "why": "Why (the personal detail you noticed)",
}


def cost_label(currency: str, example: str) -> str:
    """The cost input, in the workspace's own currency: `Cost in USD (e.g. 40 or $40.00)`."""
    return f"Cost in {currency} (e.g. 40 or {example})"


FORM_MISSING = "Fill in the customer and the gift."


def check_label(name: str, question: str) -> str:
    return f"{name.capitalize()}: {question}"


# Decisions.
def you_approved(gift_id: int, customer: str) -> str:
    return f"You approved gift #{gift_id} for {customer}."


def you_declined(gift_id: int, customer: str) -> str:
    return f"You declined gift #{gift_id} for {customer}."


def approved_by(name: str) -> str:
    return f"Approved by {name}"


def declined_by(name: str, reason: str) -> str:
    return f"Declined by {name}: {reason}"


def decision(name: str, reason: str | None) -> str:
    """The decision as the managers' ask shows it, once its buttons are gone."""
    return f"approved by {name}" if reason is None else f"declined by {name}: {reason}"


def approved_dm(customer: str, gift: str, decider: str) -> str:
    return (
        f"Your WOW gift for {customer} ({gift}) was approved by {decider}. "
        "Send it, then press Mark as sent."
    )


def declined_dm(customer: str, gift: str, decider: str, reason: str) -> str:
    return f"Your WOW gift for {customer} ({gift}) was declined by {decider}: {reason}"


def old_currency(gift_id: int, cost: str, currency: str) -> str:
    return (
        f"Gift #{gift_id} costs {cost}, but the budget is now in {currency}. "
        f"Ask for it to be proposed again in {currency}."
    )


def reason_question(gift_id: int, customer: str) -> str:
    return f"Why decline gift #{gift_id} for {customer}?"


REASON_TITLE, REASON_LABEL = "Decline gift", "Reason"

# Sending.
ONLY_PROPOSER_SENDS = "Only the person who proposed this gift can mark it as sent."


def sent_already(gift_id: int) -> str:
    return f"Gift #{gift_id} is marked as sent already."


def not_approved(gift_id: int, status: str) -> str:
    return f"Gift #{gift_id} is {status}; only approved gifts are sent."


def landed(gift: str) -> str:
    """The note of the follow-up that sending a gift creates."""
    return f"did the {gift} land?"


def sent_dm(customer: str, gift: str, cost: str) -> str:
    return f"Your WOW gift for {customer} ({gift}) is sent ({cost})."


def marked_sent(gift_id: int, followup_id: int, customer: str, due: str) -> str:
    return (
        f"Marked gift #{gift_id} as sent. Follow-up #{followup_id}: check in with "
        f"{customer} on {due}."
    )


# The four checks.
CHECKS_TITLE, CHECKS_SUBMIT = "The four checks", "Confirm"


def checks_form_text(gift_id: int, customer: str) -> str:
    return f"The four checks for gift #{gift_id} for {customer}"


def checks_saved(gift_id: int, customer: str, line: str) -> str:
    return f"Gift #{gift_id} for {customer}: {line}. The managers' thread shows it."


# The four checks (SPEC §1), put so that ticking the box means the check is met.
CHECK_QUESTIONS = {
    "personalized": "answers something they told us",
    "appropriate": "fits the customer and represents us well",
    "practical": "something they can actually use",
    "timely": "arrives while it still matters",
}
CHECKS_NONE_NAMED = (
    "Name the checks the gift meets (personalized, appropriate, practical, timely), "
    "or write all or none."
)
CHECKS_NOT_CONFIRMED = "(not confirmed by the proposer yet)"
CHECKS_ONLY_PROPOSER = "Only {name}, who proposed gift #{id}, can confirm its four checks."
CHECKS_AFTER_DECISION = (
    "Gift #{id} is already {status}; its four checks can only change while it waits for a manager."
)


def not_a_check(word: str, meant: str | None) -> str:
    guess = f' Did you mean "{meant}"?' if meant else ""
    return (
        f'"{clip(word)}" is not one of the four checks.{guess} '
        "They are personalized, appropriate, practical and timely (or all, or none)."
    )


def checks_typed(gift_id: int) -> str:
    return (
        f"/wow gift checks {gift_id} personalized appropriate practical timely"
        "   (leave out any it does not meet)"
    )


def checks_prompt(gift_id: int) -> str:
    return "Confirm its four checks so the manager sees them: the button below, or " + checks_typed(
        gift_id
    )
