"""Expected failures: their message is shown to the user as it is."""

from collections.abc import Iterator
from contextlib import contextmanager


class WowError(Exception):
    """A failure the user caused or can fix; the message says what and how. `field`: the
    form input it is about, when it came from one (see `about`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.field: str | None = None


@contextmanager
def about(field: str) -> Iterator[None]:
    """A refusal raised inside is about this form input: a form shows it beside that input."""
    try:
        yield
    except WowError as error:
        error.field = error.field or field
        raise


class UsageError(WowError):
    """The command was not written the way the grammar expects."""


class NotAllowed(WowError):
    """The actor's role does not allow this."""


class NotFound(WowError):
    """A referenced thing (gift, follow-up, KPI, value …) does not exist."""


class Conflict(WowError):
    """The state changed already (decided, done, cheered …)."""


class Unavailable(Exception):
    """The database did not answer (refused, dropped or stalled): nothing was saved."""


class DeliveryError(Exception):
    """Raised by a Messenger. `permanent` failures are recorded, not retried. `throttled`:
    the platform's rate limit said to wait `retry_after` seconds; that is not a failure, and
    only the conversation it came from waits. `skipped`: there is nothing to do and nothing
    went wrong (an update of a message the platform gave no id for, which the click that
    caused it redrew already): recorded as skipped, with the reason, never retried."""

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool,
        retry_after: float | None = None,
        throttled: bool = False,
        skipped: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent or skipped
        self.retry_after = retry_after
        self.throttled = throttled
        self.skipped = skipped


class FetchError(Exception):
    """Raised by a JsonFetcher: the source could not be read; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
