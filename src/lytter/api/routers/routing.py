"""Routing rules: tried in order, the first that holds sends a new item to its desk or person;
a dry run shows what a new rule would have done to the last days' items."""

from __future__ import annotations

from fastapi import APIRouter, Response

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    DryRunItemOut,
    DryRunOut,
    RuleChangeIn,
    RuleIn,
    RuleOut,
)
from lytter.domain.routing import RoutingRule
from lytter.services import routing as routing_service
from lytter.services.routing import Labels, RuleDraft

router = APIRouter(prefix="/routing", tags=["routing"])


def _rule_out(rule: RoutingRule, labels: Labels) -> RuleOut:
    when, then = routing_service.wording(rule, labels)
    return RuleOut.model_validate(
        routing_service.as_dict(rule, labels) | {"wording": f"when {when}, then {then}"}
    )


def _draft(body: RuleIn) -> RuleDraft:
    w, t = body.when, body.then
    return RuleDraft(
        body.name,
        pages=tuple(w.pages),
        platforms=tuple(w.platforms),
        queries=tuple(w.queries),
        languages=tuple(w.languages),
        sentiments=tuple(w.sentiments),
        author_types=tuple(w.author_types),
        authors=tuple(w.authors),
        keywords=w.words,
        hours=w.hours,
        desk=t.desk,
        user=t.to,
        assign=t.assign,
        priority=None if t.priority is None else t.priority.value,
        tags=tuple(t.tags),
        note=t.note,
    )


@router.get("/rules", summary="The rules in the order they are tried")
def list_rules(store: StoreDep, actor: ActorDep) -> list[RuleOut]:
    labels = Labels.of(store, actor.workspace_id)
    return [_rule_out(r, labels) for r in routing_service.list_rules(store, actor)]


@router.post("/rules", summary="Add a rule (admins)", status_code=201)
def add_rule(store: StoreDep, actor: ActorDep, body: RuleIn) -> RuleOut:
    rule = routing_service.add_rule(store, actor, _draft(body), body.position)
    return _rule_out(rule, Labels.of(store, actor.workspace_id))


@router.patch("/rules/{rule}", summary="Move a rule or switch it on or off (admins)")
def change_rule(store: StoreDep, actor: ActorDep, rule: str, body: RuleChangeIn) -> RuleOut:
    found = routing_service.find_rule(store, actor, rule)
    if body.position is not None:
        found = routing_service.move_rule(store, actor, str(found.id), body.position)
    if body.enabled is not None:
        found = routing_service.enable_rule(store, actor, str(found.id), body.enabled)
    return _rule_out(found, Labels.of(store, actor.workspace_id))


@router.delete("/rules/{rule}", summary="Remove a rule; those after it move up", status_code=204)
def remove_rule(store: StoreDep, actor: ActorDep, rule: str) -> Response:
    routing_service.delete_rule(store, actor, rule)
    return Response(status_code=204)


@router.post("/dry-run", summary="What a new rule would have done to the last 7 days' items")
def dry_run(store: StoreDep, actor: ActorDep, body: RuleIn) -> DryRunOut:
    trial = routing_service.dry_run(store, actor, _draft(body), body.position)
    taken = [(i, d) for i, d in trial.decisions if d.rule is trial.rule]
    return DryRunOut(
        days=routing_service.DRY_RUN_DAYS,
        items=len(trial.decisions),
        taken=len(taken),
        taken_items=[
            DryRunItemOut(item_id=i.id, platform=i.platform, thread=i.thread, why=d.why)
            for i, d in taken[:100]
        ],
    )
