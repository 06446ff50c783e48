"""`/webhooks/meta`: where Meta delivers Facebook page and Instagram notifications.

Served by `lytter serve` and by `lytter run --webhooks HOST:PORT`; see services.webhooks.
Not part of the token-authenticated API: Meta proves itself with the verify token and the
body's signature instead.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from lytter.services import webhooks
from lytter.store.base import Store

router = APIRouter(include_in_schema=False)


def _settings(request: Request) -> webhooks.WebhookSettings:
    settings = getattr(request.app.state, "webhooks", None)
    return settings if settings is not None else webhooks.WebhookSettings.from_env()


@router.get("/webhooks/meta")
def confirm(request: Request) -> Response:
    try:
        challenge = webhooks.confirm_subscription(dict(request.query_params), _settings(request))
    except webhooks.WebhookRefused as exc:
        return PlainTextResponse(str(exc), status_code=exc.status)
    return PlainTextResponse(challenge)


@router.post("/webhooks/meta")
async def deliver(request: Request) -> Response:
    body = await request.body()
    store: Store = request.app.state.store
    try:
        delivery = await run_in_threadpool(
            webhooks.receive,
            store,
            body,
            request.headers.get("x-hub-signature-256"),
            _settings(request),
        )
    except webhooks.WebhookRefused as exc:
        return PlainTextResponse(str(exc), status_code=exc.status)
    return JSONResponse(
        {"changes": delivery.changes, "stored": delivery.posts, "ignored": delivery.ignored}
    )


def webhook_app(store: Store, settings: webhooks.WebhookSettings | None = None) -> FastAPI:
    """Only the webhooks (and /healthz), for `lytter run --webhooks`."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.webhooks = settings
    app.include_router(router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "backend": store.backend}

    return app
