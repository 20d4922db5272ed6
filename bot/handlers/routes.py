"""Which handler answers which command and which button, and which form a refused
submission came from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.core import commands as c
from bot.core.messages import Field, Message, Reply
from bot.core.texts import HELP_MORE, HELP_TITLE, USAGE, help_row, help_text
from bot.handlers import (
    admin,
    agents,
    decisions,
    digests,
    feedback,
    feedback_sources,
    followup_changes,
    followups,
    gift_checks,
    gifts,
    hero,
    kpi_admin,
    kpi_reports,
    kpis,
    recovery_gifts,
    recovery_steps,
)
from bot.handlers.context import Context


async def show_help(ctx: Context, cmd: c.Help) -> Reply:
    if cmd.topic:
        return Reply.private(help_text(cmd.topic))
    rows = tuple(Field(*help_row(name)) for name in USAGE)
    return Reply(Message(text="", title=HELP_TITLE, fields=rows, footer=HELP_MORE))


COMMANDS: dict[type, Callable[[Context, Any], Awaitable[Reply]]] = {
    c.Help: show_help,
    c.RecordHero: hero.record_hero,
    c.OpenHeroForm: hero.open_hero_form,
    c.Leaderboard: hero.leaderboard,
    c.Stats: hero.stats,
    c.Values: hero.list_values,
    c.Me: hero.me,
    c.RecordFeedback: feedback.record_feedback,
    c.ListFeedback: feedback.list_feedback,
    c.CaseStep: recovery_steps.typed_step,
    c.ResolveCase: recovery_steps.typed_resolve,
    c.ListRecoveries: recovery_steps.list_recoveries,
    c.SetAgent: agents.set_agent,
    c.ForgetAgent: agents.forget_agent,
    c.ListAgents: agents.list_agents,
    c.SetFeedbackSource: feedback_sources.set_source,
    c.RemoveFeedbackSource: feedback_sources.remove_source,
    c.ListFeedbackSources: feedback_sources.list_sources,
    c.SetRecoverySla: agents.set_recovery_sla,
    c.SetFollowUpAfterRecovery: agents.set_recovery_followup,
    c.ProposeGift: gifts.propose_gift,
    c.OpenGiftForm: gifts.open_gift_form,
    c.ConfirmGiftChecks: gift_checks.confirm_typed,
    c.ListGifts: gifts.list_gifts,
    c.AddFollowUp: followups.add_followup,
    c.ListFollowUps: followups.list_followups,
    c.FinishFollowUp: followup_changes.finish,
    c.CancelFollowUp: followup_changes.cancel,
    c.MoveFollowUp: followup_changes.move,
    c.NoteFollowUp: followup_changes.set_note,
    c.ShowKpis: kpis.show_kpis,
    c.LogKpi: kpis.log_kpi,
    c.DigestSubscribe: digests.subscribe,
    c.DigestUnsubscribe: digests.unsubscribe,
    c.DigestSkip: digests.skip,
    c.DigestPreview: digests.preview,
    c.DigestNow: digests.now,
    c.DigestStatus: digests.status,
    c.SetRole: admin.set_role,
    c.ListRoles: admin.list_roles,
    c.SetChannel: admin.set_channel,
    c.AddValue: admin.add_value,
    c.RemoveValue: admin.remove_value,
    c.SetBudget: admin.set_budget,
    c.SetSla: admin.set_sla,
    c.SetFollowUpAfterGift: admin.set_followup_days,
    c.DefineKpi: kpi_admin.define_kpi,
    c.RemoveKpi: kpi_admin.remove_kpi,
    c.SetKpiSource: kpi_admin.set_source,
    c.EnableKpiPreset: kpi_admin.enable_preset,
    c.CreateApiKey: kpi_admin.create_api_key,
    c.RevokeApiKey: kpi_admin.revoke_api_key,
    c.ListApiKeys: kpi_admin.list_api_keys,
    c.KpiStatus: kpi_reports.kpi_status,
    c.KpiHistory: kpi_reports.kpi_history,
}

ACTIONS: dict[str, Callable[[Context, c.Action], Awaitable[Reply]]] = {
    "hero.cheer": hero.cheer,
    "hero.submit": hero.submit_hero_form,
    "gift.submit": gifts.submit_gift_form,
    "gift.approve": decisions.approve,
    "gift.decline": decisions.decline,
    "gift.sent": decisions.mark_sent,
    "gift.checks": gift_checks.open_form,
    "gift.checks.save": gift_checks.save_form,
    "followup.done": followup_changes.done,
    "followup.snooze": followup_changes.snooze,
    "feedback.hero": feedback.make_hero,
    "case.take": recovery_steps.take_button,
    "case.contacted": recovery_steps.contacted_button,
    "case.resolve": recovery_steps.resolve_button,
    "case.gift": recovery_gifts.gift_button,
}

# A form's submission → the form it came from, to show again with what was typed when the
# submission is refused (a Teams card; Slack keeps its modal open by itself).
FORM_OF: dict[str, Callable[[Context, c.Action], Awaitable[Reply]]] = {
    "hero.submit": lambda ctx, a: hero.open_hero_form(ctx, c.OpenHeroForm()),
    "gift.submit": lambda ctx, a: (
        recovery_gifts.gift_button(ctx, a)
        if a.value
        else gifts.open_gift_form(ctx, c.OpenGiftForm())
    ),
    "case.resolve": lambda ctx, a: recovery_steps.resolve_button(ctx, c.Action(a.name, a.value)),
    "gift.decline": lambda ctx, a: decisions.decline(ctx, c.Action(a.name, a.value)),
    "gift.checks.save": lambda ctx, a: gift_checks.open_form(ctx, c.Action("gift.checks", a.value)),
}
