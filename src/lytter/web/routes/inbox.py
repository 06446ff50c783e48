"""The inbox in the browser: a keyboard-driven list (j/k, Enter, a, e, r) filtered by desk,
state, SLA status and page; the conversation with the author's history, the reply box with
saved replies, who else has it open, and the moderation dialog. Every form posts to the same
services as the CLI and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lytter.api.deps import StoreDep
from lytter.domain.access import Permission
from lytter.domain.inbox import InboxItem, ItemAction, ItemState, next_state
from lytter.domain.moderation import ModerationAct, NoticeChannel
from lytter.domain.replies import ReplyKind
from lytter.domain.sla import SlaState
from lytter.services import authors as author_service
from lytter.services import desks as desk_service
from lytter.services import inbox as inbox_service
from lytter.services import moderation as moderation_service
from lytter.services import replies as reply_service
from lytter.services.errors import N_, NP_, NotFound, UserError
from lytter.web.deps import FormDep, PageDep, form_text
from lytter.web.i18n import gettext
from lytter.web.routes.authors import _words as author_words
from lytter.web.templating import Page, render

router = APIRouter()
PAGE_SIZE = 50

STATE_NAMES: dict[str, str | tuple[str, str]] = {
    "new": N_("New"),
    "open": NP_("state", "Open"),
    "pending": N_("Pending"),
    "snoozed": N_("Snoozed"),
    "resolved": N_("Resolved"),
}
ACTION_NAMES = {
    "open": N_("Open"),
    "wait": N_("Wait for customer"),
    "resolve": N_("Resolve"),
    "reopen": N_("Reopen"),
}
SLA_NAMES = {
    "breached": N_("Breached"),
    "warning": N_("Due soon"),
    "running": N_("Running"),
    "paused": N_("Paused"),
    "met": N_("Met"),
    "missed": N_("Missed"),
}
MODERATION_NAMES = {
    "hide": N_("Hide"),
    "delete": N_("Delete"),
    "block": N_("Block author"),
}
NOTIFY_NAMES = {
    "auto": N_("Automatically"),
    "platform": N_("Reply on the platform"),
    "email": N_("By e-mail"),
    "none": N_("Do not tell"),
}
EVENT_NAMES = {  # what an item's history says happened
    "created": N_("opened by a post"),
    "post": N_("new post"),
    "answered": N_("answered by the page"),
    "reopened": N_("reopened by a new post"),
    "state": N_("state changed"),
    "assigned": N_("assigned"),
    "priority": N_("priority changed"),
    "tags": N_("tags changed"),
    "note": N_("note"),
    "desk": N_("moved to a desk"),
    "routed": N_("routed"),
    "replied": N_("replied"),
    "moderated": N_("moderated"),
    "sla_warning": N_("SLA warning"),
    "sla_breached": N_("SLA breached"),
    "escalated": N_("escalated"),
}
OPEN_STATES = (ItemState.NEW, ItemState.OPEN, ItemState.PENDING, ItemState.SNOOZED)


def _names(page: Page) -> dict[str, Any]:
    def tr(names: Mapping[str, str | tuple[str, str]]) -> dict[str, str]:
        return {k: gettext(page.locale, v) for k, v in names.items()}

    return {
        "state_names": tr(STATE_NAMES),
        "event_names": tr(EVENT_NAMES),
        "action_names": tr(ACTION_NAMES),
        "sla_names": tr(SLA_NAMES),
        "moderation_names": tr(MODERATION_NAMES),
        "notify_names": tr(NOTIFY_NAMES),
    }


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    store: StoreDep,
    page: PageDep,
    state: Annotated[list[str] | None, Query()] = None,
    desk: str | None = None,
    sla: str | None = None,
    source: str | None = None,
    mine: bool = False,
    n: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    assert page.actor is not None
    actor = page.actor
    chosen = [s for s in state or [] if s in STATE_NAMES]
    states = tuple(ItemState(s) for s in chosen) or OPEN_STATES
    desk_id, source_id = _int(desk), _int(source)
    found_desks = desk_service.list_desks(store, actor)
    known = ({d.id: d for d in found_desks}, desk_service.policies(store, actor))
    # an SLA filter reads further than one page to fill it
    wanted = PAGE_SIZE * (4 if sla in SLA_NAMES else 1)
    items = inbox_service.items(
        store,
        actor,
        states=states,
        mine=mine and actor.user is not None,
        desk_id=desk_id,
        source_id=source_id,
        limit=wanted + 1,
        offset=(n - 1) * wanted,
    )
    more = len(items) > wanted
    picked = []
    shown = items[:wanted]
    for item, status in zip(
        shown, inbox_service.item_slas(store, actor, shown, known=known), strict=True
    ):
        worst = None if status is None else status.worst
        if sla in SLA_NAMES and (worst is None or worst.value != sla):
            continue
        picked.append((item, status))
    rows = _rows(store, actor, picked[:PAGE_SIZE], found_desks)
    sources = [s for s in store.list_sources(actor.workspace_id) if actor.sees_source(s.id)]
    context = {
        **_names(page),
        "rows": rows,
        "desks": found_desks,
        "sources": sources,
        "chosen_states": chosen,
        "chosen_desk": desk_id,
        "chosen_sla": sla if sla in SLA_NAMES else "",
        "chosen_source": source_id,
        "mine": mine,
        "page_number": n,
        "more": more,
        "query": request.url.query,
    }
    return render(request, page, "inbox.html", context, section="inbox")


def _rows(
    store: StoreDep,
    actor: Any,
    picked: list[tuple[InboxItem, inbox_service.ItemSla | None]],
    desks: list[Any],
) -> list[dict[str, Any]]:
    """The list's rows: each item's first customer post, assignee, desk and nearest due time
    (the posts and people read once for the page)."""
    first: dict[int, Any] = {}
    for customer_post in store.item_posts([item.id for item, _ in picked]):
        first.setdefault(customer_post.item_id, customer_post)
    users = {u.id: u for u in store.list_users(actor.workspace_id)}
    rows = []
    for item, status in picked:
        post = first.get(item.id)
        due = None
        if status is not None:
            for target in (status.first_response, status.resolution):
                if target is not None and target.due is not None:
                    due = target.due if due is None else min(due, target.due)
        rows.append(
            {
                "item": item,
                "text": post.text if post else "",
                "author": post.author if post else None,
                "assignee": users.get(item.assignee_id or 0),
                "desk": next((d for d in desks if d.id == item.desk_id), None),
                "sla": None if status is None else status.worst,
                "due": due,
            }
        )
    return rows


@router.get("/inbox/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, store: StoreDep, page: PageDep, item_id: int) -> HTMLResponse:
    return _item(request, store, page, item_id, notice=request.query_params.get("done"))


def _item(
    request: Request,
    store: StoreDep,
    page: Page,
    item_id: int,
    *,
    error: UserError | None = None,
    notice: str | None = None,
    draft: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    actor = page.actor
    view = inbox_service.item_view(store, actor, item_id)
    item = view.item
    source = store.get_source(actor.workspace_id, item.source_id) if item.source_id else None
    page_handle = None if source is None else source.external_id
    customers = reply_service.customer_posts(view.thread, item, source)
    profile = None
    if customers and customers[0].author_id is not None:
        try:
            profile = author_service.author_profile(store, actor, customers[0].author_id)
        except NotFound:
            profile = None
    desks = desk_service.list_desks(store, actor)
    desk = next((d for d in desks if d.id == item.desk_id), None)
    members = []
    if desk is not None:
        members = [u for u in (store.get_user(i) for i in desk.members) if u is not None]
    others = reply_service.presence(store, actor, item.id) if actor.user else []
    acts: dict[int, ModerationAct] = {}
    for post in view.thread:
        for act in moderation_service.acts(store, actor, post_id=post.id, limit=5):
            acts.setdefault(post.id, act)
    context = {
        **_names(page),
        **author_words(page),
        "view": view,
        "item": item,
        "source": source,
        "page_handle": page_handle,
        "customers": customers,
        "profile": profile,
        "desk": desk,
        "members": members,
        "assignee": store.get_user(item.assignee_id) if item.assignee_id else None,
        "sla": inbox_service.item_sla(store, actor, item),
        "actions": [
            a.value
            for a in (ItemAction.OPEN, ItemAction.WAIT, ItemAction.RESOLVE, ItemAction.REOPEN)
            if next_state(item.state, a) is not None
        ],
        "saved": reply_service.saved_replies(store, actor, ReplyKind.REPLY),
        "guidelines": moderation_service.guidelines(store, actor),
        "notify_channels": ["auto", *(c.value for c in NoticeChannel)],
        "others": others,
        "acts": acts,
        "can_act": actor.can(Permission.ACT),
        "can_reply": source is not None and source.collectable,
        "error": error,
        "notice": notice,
        "draft": draft,
        "SlaState": SlaState,
    }
    return render(
        request, page, "inbox_item.html", context, section="inbox", status_code=status_code
    )


def _back(item_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/inbox/{item_id}?done={done}", status_code=303)


@router.post("/inbox/{item_id}/act", response_class=HTMLResponse)
def act(request: Request, store: StoreDep, page: PageDep, form: FormDep, item_id: int) -> Response:
    assert page.actor is not None
    try:
        action = ItemAction(form_text(form, "action"))
        inbox_service.act(
            store, page.actor, item_id, action, seen_version=_int(form_text(form, "version"))
        )
    except ValueError:
        return _item(
            request, store, page, item_id, error=UserError("unknown action"), status_code=400
        )
    except UserError as exc:
        return _item(request, store, page, item_id, error=exc, status_code=exc.status)
    if form_text(form, "next") == "list":
        return RedirectResponse("/inbox", status_code=303)
    return _back(item_id, action.value)


@router.post("/inbox/{item_id}/assign", response_class=HTMLResponse)
def assign(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, item_id: int
) -> Response:
    assert page.actor is not None
    email = form_text(form, "email")
    if email == "me" and page.actor.user is not None:
        email = page.actor.user.email
    try:
        inbox_service.assign(
            store,
            page.actor,
            item_id,
            email or None,
            seen_version=_int(form_text(form, "version")),
        )
    except UserError as exc:
        return _item(request, store, page, item_id, error=exc, status_code=exc.status)
    if form_text(form, "next") == "list":
        return RedirectResponse("/inbox", status_code=303)
    return _back(item_id, "assigned")


@router.post("/inbox/{item_id}/reply", response_class=HTMLResponse)
def reply(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, item_id: int
) -> Response:
    assert page.actor is not None
    text = form_text(form, "text")
    try:
        reply_service.send(
            store,
            page.actor,
            item_id,
            text,
            seen_version=_int(form_text(form, "version")),
            to_post_id=_int(form_text(form, "to")),
        )
    except UserError as exc:
        return _item(request, store, page, item_id, error=exc, draft=text, status_code=exc.status)
    if form_text(form, "resolve") == "1":
        try:
            inbox_service.act(store, page.actor, item_id, ItemAction.RESOLVE)
        except UserError as exc:
            return _item(request, store, page, item_id, error=exc, status_code=exc.status)
        return _back(item_id, "replied-resolved")
    return _back(item_id, "replied")


@router.get("/inbox/{item_id}/compose", response_class=HTMLResponse)
def compose(store: StoreDep, page: PageDep, item_id: int, saved: str = "") -> Response:
    """A saved reply filled in for the item (the reply box asks for it when one is picked)."""
    assert page.actor is not None
    try:
        text = reply_service.compose(store, page.actor, item_id, saved)
    except UserError as exc:
        return Response(str(exc), status_code=exc.status, media_type="text/plain")
    return Response(text, media_type="text/plain; charset=utf-8")


@router.post("/inbox/{item_id}/presence", response_class=HTMLResponse)
def presence(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, item_id: int
) -> HTMLResponse:
    """Who else has the item open (the page asks every 15 s, saying whether one is writing)."""
    assert page.actor is not None
    others = reply_service.presence(
        store, page.actor, item_id, composing=form_text(form, "composing") == "1"
    )
    item = inbox_service.get_item(store, page.actor, item_id)
    seen = _int(form_text(form, "version"))
    return render(
        request,
        page,
        "partials/presence.html",
        {"others": others, "changed": seen is not None and seen != item.version},
    )


@router.post("/inbox/{item_id}/moderate", response_class=HTMLResponse)
def moderate(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, item_id: int
) -> Response:
    assert page.actor is not None
    post_id = _int(form_text(form, "post"))
    try:
        inbox_service.get_item(store, page.actor, item_id)
        if post_id is None:
            raise UserError("choose the post to moderate", field="post")
        act = moderation_service.moderate(
            store,
            page.actor,
            post_id,
            form_text(form, "action"),
            form_text(form, "guideline") or None,
            note=form_text(form, "note") or None,
            notify=form_text(form, "notify") or "auto",
            email=form_text(form, "email") or None,
            item_id=item_id,
        )
    except UserError as exc:
        return _item(request, store, page, item_id, error=exc, status_code=exc.status)
    return _back(item_id, f"moderated-{act.action.value}")


@router.get("/moderation/evidence/{act_id}.png")
def evidence_png(store: StoreDep, page: PageDep, act_id: int) -> Response:
    assert page.actor is not None
    kept = moderation_service.evidence_of(store, page.actor, act_id)
    if kept.png is None:
        raise NotFound("act {act_id} kept no PNG", act_id=act_id)
    return Response(kept.png, media_type="image/png")
