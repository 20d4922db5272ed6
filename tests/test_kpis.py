"""KPIs: status against target respecting direction, logged values, built-ins, the trend."""

from __future__ import annotations

import pytest

from bot.core.kpi import sparkline, status
from bot.core.model import Direction
from tests.conftest import Harness


@pytest.mark.parametrize(
    ("value", "target", "direction", "near", "expected"),
    [
        (3.8, 4, Direction.LOWER, None, "on target"),  # answer time: lower is better
        (4.3, 4, Direction.LOWER, None, "near"),  # within 10 % of the target
        (6.0, 4, Direction.LOWER, None, "off"),
        (4.1, 4.5, Direction.HIGHER, 0.2, "off"),  # CSAT
        (4.4, 4.5, Direction.HIGHER, 0.2, "near"),
        (4.6, 4.5, Direction.HIGHER, 0.2, "on target"),
        (10, None, Direction.HIGHER, None, "no target"),
    ],
)
def test_status_respects_direction_and_the_near_band(
    value: float, target: float | None, direction: Direction, near: float | None, expected: str
) -> None:
    assert status(value, target, direction, near) == expected


def test_sparkline_scales_between_min_and_max_and_shows_gaps() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([3, None, 3]) == "▁ ▁"
    assert sparkline([None, None]) == ""


async def test_defined_kpis_are_logged_replaced_and_shown_with_their_status(
    harness: Harness,
) -> None:
    h = harness
    await h.cmd(
        "alice",
        '/wow admin kpi define answer_time "Average time to answer" unit=s target=4 better=lower',
    )
    await h.cmd("alice", '/wow admin kpi define csat "CSAT" target=4.5 better=higher near=0.2')
    assert "CSAT: 4.8" in await h.cmd("bob", "/wow kpi log csat 4.8")
    answer = await h.cmd("bob", "/wow kpi log csat 4.1")  # the same day: replaced
    assert answer == "Logged for Mon 23 Nov 2026: CSAT: 4.1 (target 4.5, off)"
    await h.cmd("bob", "/wow kpi log answer_time 3.8")
    shown = await h.app.bot.command(h.who("bob"), "/wow kpi")
    lines = shown.message.text.splitlines()
    week = " " * 6 + "▁"  # a 7-day trend with only today's value
    assert f"Average time to answer: 3.8 s (target 4 s, on target)  {week}" in lines
    assert f"CSAT: 4.1 (target 4.5, off)  {week}" in lines
    async with h.app.uow() as uow:
        series = await uow.kpis.series(1, "csat", h.clock.now().date(), h.clock.now().date())
    assert list(series.values()) == [4.1]


async def test_built_in_kpis_are_computed_from_the_data(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", "/wow hero <@bob> one")
    await h.cmd("alice", "/wow hero <@carol> two")
    await h.cmd("bob", "/wow followup Acme in 1 hour")
    h.clock.advance(hours=2)
    kpis = (await h.app.bot.command(h.who("bob"), "/wow kpi")).message.text
    assert "Hero moments per day: 2 ▲2 vs 7-day avg  ▁▁▁▁▁▁█" in kpis
    assert "Follow-ups overdue: 1 (target 0, off)" in kpis


async def test_removing_a_kpi_removes_its_values(harness: Harness) -> None:
    h = harness
    await h.cmd("alice", '/wow admin kpi define nps "NPS" target=40')
    await h.cmd("bob", "/wow kpi log nps 35")
    assert "Removed the KPI nps" in await h.cmd("alice", "/wow admin kpi remove nps")
    assert 'There is no KPI "nps"' in await h.cmd("bob", "/wow kpi log nps 35")
