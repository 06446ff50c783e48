"""Desks, their shift roster and SLA targets, and the periods people are away."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import (
    AbsenceIn,
    AbsenceOut,
    DeskChangeIn,
    DeskIn,
    DeskOut,
    MemberOut,
    RosterLineOut,
    ShiftIn,
    SlaIn,
    SlaOut,
)
from lytter.domain.access import Actor
from lytter.domain.inbox import Absence, Desk, Priority, SlaPolicy
from lytter.services import desks as desk_service
from lytter.store.base import Store

router = APIRouter(tags=["desks"])


def _minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds() // 60)


def _sla_out(p: SlaPolicy) -> SlaOut:
    return SlaOut(
        priority=p.priority,
        first_response_minutes=_minutes(p.first_response),
        resolution_minutes=_minutes(p.resolution),
        warn_minutes=_minutes(p.warn_before) or 0,
    )


def _desk_out(store: Store, actor: Actor, desk: Desk) -> DeskOut:
    users = {u.id: u for u in store.list_users(actor.workspace_id)}
    own = dict(desk.shifts)
    return DeskOut(
        id=desk.id,
        name=desk.name,
        hours=desk.hours,
        timezone=desk.timezone,
        signature=desk.signature,
        members=[
            MemberOut(
                email=users[m].email,
                name=users[m].name,
                shift=desk.shift_of(m),
                own_shift=m in own,
            )
            for m in desk.members
        ],
        sla=[
            _sla_out(p)
            for (desk_id, _), p in sorted(desk_service.policies(store, actor).items())
            if desk_id == desk.id
        ],
    )


def _absence_out(store: Store, actor: Actor, a: Absence) -> AbsenceOut:
    emails = {u.id: u.email for u in store.list_users(actor.workspace_id)}
    return AbsenceOut(
        id=a.id,
        email=emails.get(a.user_id, "?"),
        starts_at=a.starts_at,
        ends_at=a.ends_at,
        note=a.note,
    )


@router.get("/desks", summary="The desks with their members' shifts and SLA targets")
def list_desks(store: StoreDep, actor: ActorDep) -> list[DeskOut]:
    return [_desk_out(store, actor, d) for d in desk_service.list_desks(store, actor)]


@router.post("/desks", summary="Add a desk (admins)", status_code=201)
def add_desk(store: StoreDep, actor: ActorDep, body: DeskIn) -> DeskOut:
    desk = desk_service.add_desk(store, actor, body.name, body.hours, body.timezone)
    return _desk_out(store, actor, desk)


@router.get("/desks/{desk}", summary="A desk, by id or name")
def get_desk(store: StoreDep, actor: ActorDep, desk: str) -> DeskOut:
    return _desk_out(store, actor, desk_service.find_desk(store, actor, desk))


@router.patch("/desks/{desk}", summary="Change a desk's hours, signature or members (admins)")
def change_desk(store: StoreDep, actor: ActorDep, desk: str, body: DeskChangeIn) -> DeskOut:
    found = desk_service.find_desk(store, actor, desk)
    ref = str(found.id)
    if body.hours is not None:
        desk_service.set_hours(store, actor, ref, body.hours)
    if body.signature is not None:
        desk_service.set_signature(store, actor, ref, body.signature)
    if body.members is not None:
        desk_service.set_members(store, actor, ref, body.members)
    return _desk_out(store, actor, desk_service.find_desk(store, actor, ref))


@router.put(
    "/desks/{desk}/sla/{priority}",
    summary="The desk's targets for one priority, in its working hours (admins)",
)
def set_sla(store: StoreDep, actor: ActorDep, desk: str, priority: Priority, body: SlaIn) -> SlaOut:
    policy = desk_service.set_sla(
        store, actor, desk, priority.value, body.first_response, body.resolution, body.warn_before
    )
    return _sla_out(policy)


@router.put("/desks/{desk}/shifts/{email}", summary="A member's own weekly shift (admins)")
def set_shift(store: StoreDep, actor: ActorDep, desk: str, email: str, body: ShiftIn) -> DeskOut:
    return _desk_out(store, actor, desk_service.set_shift(store, actor, desk, email, body.shift))


@router.get("/desks/{desk}/roster", summary="Who is on shift, and when each member is next")
def roster(
    store: StoreDep,
    actor: ActorDep,
    desk: str,
    at: Annotated[AwareDatetime | None, Query(description="With its offset; default now")] = None,
) -> list[RosterLineOut]:
    return [
        RosterLineOut(
            email=line.user.email,
            name=line.user.name,
            shift=line.shift,
            own_shift=line.own,
            on_now=line.on_now,
            next_start=line.next_start,
            away=None if line.away is None else _absence_out(store, actor, line.away),
        )
        for line in desk_service.roster(store, actor, desk, at)
    ]


@router.get("/absences", summary="Absences not over yet, the soonest first")
def list_absences(store: StoreDep, actor: ActorDep) -> list[AbsenceOut]:
    return [_absence_out(store, actor, a) for a in desk_service.absences(store, actor)]


@router.post(
    "/absences",
    summary="Someone is away: on no desk's shift (your own, or anyone's for admins)",
    status_code=201,
)
def add_absence(store: StoreDep, actor: ActorDep, body: AbsenceIn) -> AbsenceOut:
    absence = desk_service.add_absence(
        store, actor, body.email, body.starts_at, body.ends_at, body.note
    )
    return _absence_out(store, actor, absence)


@router.delete("/absences/{absence_id}", summary="Remove an absence", status_code=204)
def remove_absence(store: StoreDep, actor: ActorDep, absence_id: int) -> Response:
    desk_service.remove_absence(store, actor, absence_id)
    return Response(status_code=204)
