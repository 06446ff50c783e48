"""Alerts the caller may see, read marks, and the caller's e-mail and webhook subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from lytter.api.deps import ActorDep, StoreDep
from lytter.api.schemas import AlertOut, AlertsReadIn, SubscriptionIn, SubscriptionOut
from lytter.domain.alerts import Subscription
from lytter.services import alerts as alert_service

router = APIRouter(tags=["measure"])


def _subscription(s: Subscription, secret: str | None = None) -> SubscriptionOut:
    return SubscriptionOut(
        id=s.id,
        channel=s.channel.value,
        address=s.address,
        kinds=None if s.kinds is None else sorted(s.kinds),
        secret=secret,
    )


@router.get("/alerts", summary="The alerts the caller may see, the newest first")
def list_alerts(
    store: StoreDep,
    actor: ActorDep,
    open_only: Annotated[bool, Query(alias="open", description="Only open incidents")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> list[AlertOut]:
    return [
        AlertOut(
            id=s.alert.id,
            kind=s.alert.kind.value,
            title=s.alert.title,
            details=s.alert.details,
            opened_at=s.alert.opened_at,
            closed_at=s.alert.closed_at,
            read=s.read,
        )
        for s in alert_service.inbox(store, actor, open_only=open_only, limit=limit)
    ]


@router.post("/alerts/read", summary="Mark alerts read (every one when no ids are given)")
def read_alerts(store: StoreDep, actor: ActorDep, body: AlertsReadIn) -> dict[str, int]:
    return {"marked": alert_service.mark_read(store, actor, body.ids)}


@router.get("/alerts/subscriptions", summary="The caller's subscriptions")
def list_subscriptions(store: StoreDep, actor: ActorDep) -> list[SubscriptionOut]:
    return [_subscription(s) for s in alert_service.subscriptions(store, actor)]


@router.post(
    "/alerts/subscriptions",
    summary="Have new alerts sent by e-mail or to a webhook (signed; the secret comes once)",
    status_code=201,
)
def subscribe(store: StoreDep, actor: ActorDep, body: SubscriptionIn) -> SubscriptionOut:
    sub, secret = alert_service.subscribe(store, actor, body.channel, body.address, body.kinds)
    return _subscription(sub, secret)


@router.delete(
    "/alerts/subscriptions/{subscription_id}", summary="Stop a subscription", status_code=204
)
def unsubscribe(store: StoreDep, actor: ActorDep, subscription_id: int) -> Response:
    alert_service.unsubscribe(store, actor, subscription_id)
    return Response(status_code=204)
