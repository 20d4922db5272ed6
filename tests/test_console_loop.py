"""The whole WOW loop through `wowbot console` with piped input, as a newcomer runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
/wow admin managers add @maria @carl
/wow admin channel wall #wow-wall
/wow admin channel gifts #gifts
/wow admin budget 500 USD
/wow me tz Europe/Helsinki
/wow hero @bob @dana rebuilt Acme Dental's call flow over lunch #wowism
/as bob
/wow hero @bob I was great
/wow leaderboard
/as carl
/wow me tz Europe/Helsinki
/wow gift Acme Dental: pizza for the front desk $40 because they said they're starving
/click {checks}
/wow gift checks 1 personalized appropriate timely
/as bob
/click {approve}
/wow gifts pending
/as carl
/click {approve}
/as maria
/click {approve}
/click {approve}
/as carl
/click {sent}
/time +15d
/click {snooze}
/in #team
/wow digest subscribe at 08:30 Europe/Helsinki daily
/as alice
/wow hero @dana calmed an angry caller and kept the account #happiness
/wow gift Beta Corp: flowers 30 USD because it's their 10th anniversary
/time +1d
/time +3h
/wow digest status
"""


def run_console(
    tmp_path: Path,
    script: str,
    *,
    user: str = "alice",
    now: str = "2026-11-23T09:00",
    default_zone: str = "Europe/Helsinki",
) -> str:
    env = {
        **os.environ,
        "WOWBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
        "WOWBOT_ADMINS": "alice",
        "WOWBOT_DEFAULT_TIMEZONE": default_zone,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--as", user, "--now", now],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def block(out: str, start: str) -> str:
    """The message that starts with `start`, up to the next line that is not indented."""
    i = out.index(start)
    lines = [out[i:].splitlines()[0]]
    for line in out[i:].splitlines()[1:]:
        if not line.startswith("  "):
            break
        lines.append(line)
    return "\n".join(lines)


def test_the_whole_wow_loop_in_the_console(tmp_path: Path) -> None:
    # Buttons are numbered in the order they are shown, so the script knows them; the
    # assertions below check each number sits beside the button the script meant.
    out = run_console(tmp_path, SCRIPT.format(approve=2, checks=4, sent=5, snooze=7))
    approve = 2

    # The admin's set-up is confirmed.
    assert "maria, carl are now managers." in out
    assert "Hero moments now go to #wow-wall." in out
    assert "Gift proposals now go to #gifts." in out

    # A hero moment with two nominees and a value: on the wall, and in both nominees' DMs.
    wall = block(out, "[#wow-wall] Hero moment: bob, dana")
    assert "rebuilt Acme Dental's call flow over lunch" in wall
    assert "Value: Practice WOWism (#wowism)" in wall
    assert "Nominated by: alice" in wall
    assert "[DM @bob] alice recognised you" in out
    assert "[DM @dana] alice recognised you" in out

    # Self-nomination is refused; the leaderboard names (never pings) the heroes.
    assert "You can't nominate yourself" in out
    board = block(out, "[only you] Leaderboard this month")
    assert "1. bob: 1" in board and "dana: 1" in board and "@" not in board

    # The proposal shows the four checks and the budget, and asks the managers in its thread.
    proposal = block(out, "[#gifts] WOW gift #1 for Acme Dental")
    assert "Four checks: Personalized ? · Appropriate ? · Practical ? · Timely ?" in proposal
    assert "$0.00 of $500.00 used this month, $500.00 left" in proposal
    assert f"[{approve}] Approve  [{approve + 1}] Decline" in out
    # The proposer confirms the four checks of the typed gift: the button shows how to type
    # them here, and the proposal is redrawn with them.
    assert "[4] Confirm the four checks" in out
    assert "    /wow gift checks 1 personalized appropriate practical timely" in out
    confirmed = block(out, "[#gifts (updated)] WOW gift #1")
    assert "Four checks: Personalized ✓ · Appropriate ✓ · Practical ✗ · Timely ✓" in confirmed

    # A member's Approve is refused and changes nothing: the gift is still pending.
    after_bob = out[out.index("bob #general> /click") :]
    assert "Only managers and admins can approve or decline gifts." in after_bob
    assert "#1 Acme Dental: pizza for the front desk ($40.00), by carl, proposed" in after_bob
    # The proposer's own Approve is refused.
    assert "You proposed this gift, so someone else has to decide it." in out
    # A manager approves: root updated with the status, the thread told, the proposer DMed.
    decided = out[out.index("maria #general> /click") :]
    assert "Status: approved by maria" in block(decided, "[#gifts (updated)] WOW gift #1")
    assert "[#gifts › thread] Approved by maria" in out
    decision = block(out, "[DM @carl] Your WOW gift for Acme Dental (pizza for the front desk)")
    assert "was approved by maria" in decision and "[5] Mark as sent" in decision
    # A second Approve answers "already approved".
    assert "Already approved by maria at 09:00." in out

    # Mark as sent creates the follow-up two weeks later.
    assert (
        "Marked gift #1 as sent. Follow-up #1: check in with Acme Dental on "
        "Mon 7 Dec 2026 09:00 (Europe/Helsinki)."
    ) in out
    # /time +15d brings the reminder DM, with Done and the snoozes.
    reminder = block(out, "[DM @carl] Time to follow up with Acme Dental")
    assert "did the pizza for the front desk land?" in reminder
    assert "Origin: from gift #1" in reminder
    assert "[6] Done  [7] Snooze 1 day  [8] Snooze 1 week" in reminder
    # Snooze 1 day moves it.
    assert (
        "Snoozed follow-up #1 with Acme Dental by 1 day: now due Wed 9 Dec 2026 09:00 "
        "(Europe/Helsinki)."
    ) in out

    # The digest posts once when the clock passes 08:30 Helsinki, with the moment, the
    # gift and the follow-up in it, and not again that day.
    assert out.count("[#team] WOW digest") == 1
    digest = block(out, "[#team] WOW digest for Wed 09 Dec 2026")
    assert "dana: calmed an angry caller and kept the account (by alice)" in digest
    assert "Beta Corp (flowers)" in digest
    assert "Due today (1): carl: Acme Dental" in digest
    assert "@" not in digest  # people are named, never pinged
    status = block(out, "[only you] Digest status")
    assert "Wed 09 Dec: sent (at Wed 9 Dec 2026 08:30 (Europe/Helsinki))" in status


def test_now_is_read_in_the_members_zone_and_new_members_get_the_configured_zone(
    tmp_path: Path,
) -> None:
    """`--now` is read like `/time`, in the acting member's zone; a member met after the
    operator changed WOWBOT_DEFAULT_TIMEZONE gets the zone configured now, not the one the
    workspace was first met with."""
    first = run_console(tmp_path, "/wow me tz America/New_York\n", default_zone="UTC")
    assert "the clock says Mon 23 Nov 2026 09:00 (UTC)" in first
    again = run_console(tmp_path, "/time 2026-12-01T08:00\n", now="2026-11-30T09:00")
    assert "the clock says Mon 30 Nov 2026 09:00 (America/New_York)" in again
    assert "The console clock says Tue 1 Dec 2026 08:00 (America/New_York)" in again
    newcomer = run_console(tmp_path, "/wow me\n", user="bea", now="2026-12-01T09:00")
    assert "You are bea (member) in #general; the clock says Tue 1 Dec 2026 09:00 " in newcomer
    assert "bea (member), time zone Europe/Helsinki." in newcomer


def test_praise_in_the_console_becomes_a_colleagues_hero_moment(tmp_path: Path) -> None:
    out = run_console(
        tmp_path,
        "/wow admin channel wall #wall\n"
        "/wow feedback Acme Dental 5/5 @bob: Bob fixed our call flow in ten minutes\n"
        "/as bob\n/click 1\n"
        "/as carl\n/click 1\n"
        "/wow hero @bob Acme Dental said: Bob fixed our call flow in ten minutes\n"
        "/wow feedback praise\n",
    )
    wall = block(out, "[#wall] Acme Dental said about bob:")
    assert "Bob fixed our call flow in ten minutes" in wall and "[1] Make it a hero moment" in wall
    assert "[DM @bob] Acme Dental said this about you (5/5):" in out
    assert "You can't turn praise about you into your own hero moment" in out
    typed = "/wow hero @bob Acme Dental said: Bob fixed our call flow in ten minutes"
    assert f"  In Slack and Teams this opens a form; here, type it:\n    {typed}" in out
    assert "[#wall] Hero moment: bob" in out
    assert "Thanks! Hero moment #1 recorded for bob." in out
    assert '#1 23 Nov Acme Dental 5/5 about bob: "Bob fixed our call flow' in out


def test_the_customer_voice_loop_in_the_console(tmp_path: Path) -> None:
    """SPEC §9 end to end: pushed praise becomes a hero moment; a poor rating becomes a case
    that is escalated, taken, gifted, resolved, followed up, and shown to have worked."""
    praise = (
        '{"customer": "Acme Dental", "score": 5, "scale": "csat5", "agent": "bob", '
        '"ticket": "ZD-1", "comment": "Bob fixed our call flow"}'
    )
    poor = (
        '{"customer": "Beta Corp", "score": 1, "scale": "csat5", "agent": "bob", '
        '"ticket": "ZD-2", "comment": "Nobody called back for a week"}'
    )
    gamma = '{"customer": "Gamma", "score": 3, "scale": "nps", "ticket": "ZD-4", "comment": "Slow"}'
    later = (
        '{"customer": "beta corp", "score": "good", "scale": "thumbs", "agent": "bob", '
        '"ticket": "ZD-3", "comment": "Thanks for the flowers"}'
    )
    out = run_console(
        tmp_path,
        "/wow admin channel wall #wall\n"
        "/wow admin channel recovery #recovery\n"
        "/wow admin channel gifts #gifts\n"
        "/wow admin managers add @dana @mo\n"
        "/as bob\n/wow me\n/as alice\n"
        f"/push {praise}\n"
        "/as carl\n/click 1\n"
        "/wow hero @bob Acme Dental said: Bob fixed our call flow\n"
        f"/push {poor}\n"
        "/time +4h\n"
        "/as dana\n/click 3\n"
        "/click 9\n"
        "/wow recovery gift 1: flowers for the office $40 because we let them down\n"
        "/as mo\n/click 12\n"
        "/as dana\n/click 11\n"
        "/wow recovery resolve 1 recovered: called, apologised, sent flowers\n"
        "/time +7d\n"
        f"/push {later}\n"
        "/wow recoveries all\n"
        "/in #team\n/wow digest subscribe at 08:30 Europe/Helsinki daily\n"
        f"/push {gamma}\n"
        "/time +1d\n",
    )
    assert "[helpdesk] accepted: " in out and '"praise_posted": true' in out
    wall = block(out, "[#wall] Acme Dental said about bob:")
    assert "[1] Make it a hero moment" in wall
    assert "/wow hero @bob Acme Dental said: Bob fixed our call flow" in out
    assert "Thanks! Hero moment #1 recorded for bob." in out

    case = block(out, "[#recovery] Service recovery #1: Beta Corp rated 1/5")
    assert "Contact by: Mon 23 Nov 2026 13:00 (Europe/Helsinki)" in case
    ask = block(out, "[#recovery › thread] @dana @mo Who takes case #1?")
    assert "[3] Take it  [4] Contacted  [5] Resolved  [6] Propose a WOW gift" in ask
    escalation = block(out, "[#recovery › thread] @alice Case #1 (Beta Corp) is overdue")
    assert "nobody has taken it, 4 h after it came in" in escalation
    assert out.count("Case #1 (Beta Corp) is overdue") == 1

    assert "[#recovery › thread] dana took this case." in out
    taken = block(out, "[#recovery › thread (updated)] Case #1 is dana's")
    assert "[7] Contacted  [8] Resolved  [9] Propose a WOW gift" in taken
    assert "    /wow recovery gift 1: <gift> [$40] [because <why>]" in out  # the form, typed
    gift = block(out, "[#gifts] WOW gift #1 for Beta Corp")
    assert "Why: we let them down" in gift and "Cost: $40.00" in gift
    assert "[12] Approve  [13] Decline" in out
    assert "[10] Contacted  [11] Resolved" in out  # no second gift
    assert "    /wow recovery resolve 1 recovered|not recovered: <note>" in out
    assert "[#recovery › thread] dana proposed a WOW gift: flowers for the office (gift #1)" in out
    assert "[#recovery › thread] Gift #1 was approved by mo." in out
    assert "WOW gift: #1 flowers for the office (approved)" in out
    resolved = "Case #1 resolved. I'll remind you Mon 30 Nov 2026 09:00 (Europe/Helsinki)"
    assert resolved in out
    assert "Outcome: Recovered: called, apologised, sent flowers" in out

    reminder = block(out, "[DM @dana] Time to follow up with Beta Corp")
    assert "Check in with Beta Corp: are they happy now, after service recovery case #1?" in (
        reminder
    )
    assert "from service recovery case #1" in reminder
    assert "[#recovery › thread] New feedback from beta corp: good. The recovery worked." in out
    assert 'Later feedback: 30 Nov: good "Thanks for the flowers"' in out
    assert "#1 23 Nov Beta Corp 1/5: Recovered" in out
    assert (
        "[#recovery › thread] dana resolved this case: recovered. called, apologised, sent "
        "flowers. dana checks back with them on Mon 30 Nov." in out
    )

    # The next morning's digest: the customer voice, and its KPIs.
    digest = block(out, "[#team] WOW digest for Tue 01 Dec 2026")
    assert "\n  Customer voice:\n    Yesterday: 2 ratings" in digest
    assert "Yesterday: 2 ratings (average 3.0/10; 1 good, 0 bad)" in digest
    assert 'Best: "Thanks for the flowers" (beta corp about bob, good)' in digest
    assert "Open recovery cases: 1: #2 Gamma, 19 h, nobody yet (OVERDUE)" in digest
    assert "Customer satisfaction (1–5, 30 days): 3" in digest
    assert "Service recoveries that won the customer back (30 days): 100%" in digest
    assert "Open recovery cases: 1" in digest
