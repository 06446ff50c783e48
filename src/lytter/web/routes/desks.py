"""Settings for responding: the desks with their shift roster, SLA targets and absences, the
routing rules (tried first on the last week's items before they are saved), and the published
moderation guidelines and saved replies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from lytter.api.deps import StoreDep
from lytter.domain.access import Permission
from lytter.domain.inbox import Priority
from lytter.domain.replies import VARIABLES
from lytter.domain.routing import ASSIGN_MODES
from lytter.services import desks as desk_service
from lytter.services import moderation as moderation_service
from lytter.services import queries as query_service
from lytter.services import replies as reply_service
from lytter.services import routing as routing_service
from lytter.services import sources as source_service
from lytter.services.dates import parse_when
from lytter.services.errors import N_, UserError
from lytter.services.routing import RuleDraft
from lytter.web.deps import FormDep, PageDep, form_text
from lytter.web.routes.settings import back_to
from lytter.web.templating import Page, render

router = APIRouter(prefix="/settings")

SENTIMENTS = ("negative", "neutral", "positive")
# Values the templates show as `_(value)`: priorities and author types, marked for the catalog.
VALUE_WORDS = (
    *(N_("low"), N_("normal"), N_("high"), N_("urgent")),
    *(N_("critic"), N_("troll"), N_("ambassador")),
)
AUTHOR_TYPES = ("critic", "troll", "ambassador")


def _many(form: FormData, name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip())


def _words(form: FormData, name: str) -> tuple[str, ...]:
    """A field of comma-separated words ("klage, netbank")."""
    return tuple(w.strip() for w in form_text(form, name).split(",") if w.strip())


# -- desks and the roster --------------------------------------------------------------------


def _desks(
    request: Request,
    store: StoreDep,
    page: Page,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    actor = page.actor
    found = desk_service.list_desks(store, actor)
    return render(
        request,
        page,
        "settings/desks.html",
        {
            "desks": found,
            "rosters": {d.id: desk_service.roster(store, actor, str(d.id)) for d in found},
            "policies": desk_service.policies(store, actor),
            "absences": desk_service.absences(store, actor),
            "users": {u.id: u for u in store.list_users(actor.workspace_id)},
            "priorities": list(Priority),
            "can_manage": actor.can(Permission.MANAGE_USERS),
            "error": error,
            "done": request.query_params.get("done"),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/desks", response_class=HTMLResponse)
def desks(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _desks(request, store, page)


@router.post("/desks", response_class=HTMLResponse)
def add_desk(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    try:
        desk_service.add_desk(
            store,
            page.actor,
            form_text(form, "name"),
            form_text(form, "hours") or desk_service.DEFAULT_HOURS,
        )
    except UserError as exc:
        return _desks(request, store, page, exc, exc.status)
    return back_to("/settings/desks", "added")


@router.post("/desks/{desk_id}", response_class=HTMLResponse)
def save_desk(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, desk_id: int
) -> Response:
    """The desk's hours, signature, members and each member's shift, in one form."""
    assert page.actor is not None
    actor, ref = page.actor, str(desk_id)
    try:
        desk = desk_service.find_desk(store, actor, ref)
        if form_text(form, "hours").strip() != desk.hours:
            desk_service.set_hours(store, actor, ref, form_text(form, "hours"))
        if (form_text(form, "signature").strip() or None) != desk.signature:
            desk_service.set_signature(store, actor, ref, form_text(form, "signature"))
        emails = {u.id: u.email for u in store.list_users(actor.workspace_id)}
        chosen = [emails[int(v)] for v in _many(form, "member") if v.isdigit() and int(v) in emails]
        desk = desk_service.set_members(store, actor, ref, chosen)
        for member in desk.members:
            shift = form_text(form, f"shift-{member}").strip()
            own = dict(desk.shifts).get(member)
            wanted = None if shift in ("", desk.hours) else shift
            if wanted != own:
                desk_service.set_shift(store, actor, ref, emails[member], wanted)
    except UserError as exc:
        return _desks(request, store, page, exc, exc.status)
    return back_to("/settings/desks", "saved")


@router.post("/desks/{desk_id}/sla", response_class=HTMLResponse)
def save_sla(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, desk_id: int
) -> Response:
    assert page.actor is not None
    try:
        for priority in Priority:
            first = form_text(form, f"first-{priority.value}").strip() or None
            done = form_text(form, f"resolution-{priority.value}").strip() or None
            warn = form_text(form, f"warn-{priority.value}").strip() or "30m"
            known = desk_service.policies(store, page.actor).get((desk_id, priority))
            if first is None and done is None and known is None:
                continue
            desk_service.set_sla(store, page.actor, str(desk_id), priority.value, first, done, warn)
    except UserError as exc:
        return _desks(request, store, page, exc, exc.status)
    return back_to("/settings/desks", "saved")


@router.post("/absences", response_class=HTMLResponse)
def add_absence(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    try:
        starts = parse_when(form_text(form, "from"), "from", page.zone, end=False)
        ends = parse_when(form_text(form, "until"), "until", page.zone, end=True)
        if starts is None or ends is None:
            raise UserError("an absence needs a first and a last day", field="from")
        email = form_text(form, "email") or (page.actor.name if page.actor.user else "")
        desk_service.add_absence(store, page.actor, email, starts, ends, form_text(form, "note"))
    except UserError as exc:
        return _desks(request, store, page, exc, exc.status)
    return back_to("/settings/desks", "away")


@router.post("/absences/{absence_id}/remove", response_class=HTMLResponse)
def remove_absence(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, absence_id: int
) -> Response:
    assert page.actor is not None
    try:
        desk_service.remove_absence(store, page.actor, absence_id)
    except UserError as exc:
        return _desks(request, store, page, exc, exc.status)
    return back_to("/settings/desks", "removed")


# -- routing rules ---------------------------------------------------------------------------


def _draft(form: FormData) -> RuleDraft:
    return RuleDraft(
        form_text(form, "name"),
        pages=_many(form, "page"),
        platforms=_many(form, "platform"),
        queries=_many(form, "query"),
        languages=_words(form, "languages"),
        sentiments=_many(form, "sentiment"),
        author_types=_many(form, "author_type"),
        authors=_words(form, "authors"),
        keywords=form_text(form, "words").strip() or None,
        hours=form_text(form, "hours").strip() or None,
        desk=form_text(form, "desk") or None,
        user=form_text(form, "to") or None,
        assign=form_text(form, "assign") or None,
        priority=form_text(form, "priority") or None,
        tags=_words(form, "tags"),
        note=form_text(form, "note").strip() or None,
    )


def _routing(
    request: Request,
    store: StoreDep,
    page: Page,
    *,
    error: UserError | None = None,
    status_code: int = 200,
    draft: dict[str, Any] | None = None,
    trial: routing_service.DryRun | None = None,
) -> HTMLResponse:
    assert page.actor is not None
    actor = page.actor
    labels = routing_service.Labels.of(store, actor.workspace_id)
    rules = routing_service.list_rules(store, actor)
    sources = source_service.list_sources(store, actor)
    return render(
        request,
        page,
        "settings/routing.html",
        {
            "rules": [(r, routing_service.as_dict(r, labels)) for r in rules],
            "sources": sources,
            "platforms": sorted({s.platform for s in sources}),
            "queries": query_service.list_queries(store, actor),
            "desks": desk_service.list_desks(store, actor),
            "users": store.list_users(actor.workspace_id),
            "priorities": list(Priority),
            "sentiments": SENTIMENTS,
            "author_types": AUTHOR_TYPES,
            "assign_modes": ASSIGN_MODES,
            "draft": draft or {},
            "trial": trial,
            "taken": []
            if trial is None
            else [(i, d) for i, d in trial.decisions if d.rule is trial.rule][:50],
            "days": routing_service.DRY_RUN_DAYS,
            "can_manage": actor.can(Permission.MANAGE_USERS),
            "error": error,
            "done": request.query_params.get("done"),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/routing", response_class=HTMLResponse)
def routing(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _routing(request, store, page)


@router.post("/routing", response_class=HTMLResponse)
def add_or_try_rule(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    """The new rule's form: "try" shows what it would have done, "add" saves it."""
    assert page.actor is not None
    kept = {k: form.getlist(k) for k in form if k != "csrf_token"}
    position = int(form_text(form, "position")) if form_text(form, "position").isdigit() else None
    try:
        draft = _draft(form)
        if form_text(form, "do") == "try":
            trial = routing_service.dry_run(store, page.actor, draft, position)
            return _routing(request, store, page, draft=kept, trial=trial)
        routing_service.add_rule(store, page.actor, draft, position)
    except UserError as exc:  # a query error in the words too, with its column
        return _routing(request, store, page, error=exc, status_code=exc.status, draft=kept)
    return back_to("/settings/routing", "added")


@router.post("/routing/{rule_id}", response_class=HTMLResponse)
def change_rule(
    request: Request, store: StoreDep, page: PageDep, form: FormDep, rule_id: int
) -> Response:
    """Move a rule up or down, switch it on or off, or remove it."""
    assert page.actor is not None
    actor, ref, do = page.actor, str(rule_id), form_text(form, "do")
    try:
        rule = routing_service.find_rule(store, actor, ref)
        if do == "up":
            routing_service.move_rule(store, actor, ref, max(1, rule.position - 1))
        elif do == "down":
            routing_service.move_rule(store, actor, ref, rule.position + 1)
        elif do == "toggle":
            routing_service.enable_rule(store, actor, ref, not rule.enabled)
        elif do == "remove":
            routing_service.delete_rule(store, actor, ref)
        else:
            raise UserError("unknown change '{do}'", do=do)
    except UserError as exc:
        return _routing(request, store, page, error=exc, status_code=exc.status)
    return back_to("/settings/routing", "saved")


# -- moderation guidelines and saved replies --------------------------------------------------


def _answers(
    request: Request,
    store: StoreDep,
    page: Page,
    error: UserError | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.actor is not None
    actor = page.actor
    return render(
        request,
        page,
        "settings/answers.html",
        {
            "guidelines": moderation_service.guidelines(store, actor, all_=True),
            "replies": reply_service.saved_replies(store, actor),
            "variables": VARIABLES,
            "can_manage": actor.can(Permission.MANAGE_REPLIES),
            "error": error,
            "done": request.query_params.get("done"),
        },
        section="settings",
        status_code=status_code,
    )


@router.get("/answers", response_class=HTMLResponse)
def answers(request: Request, store: StoreDep, page: PageDep) -> HTMLResponse:
    return _answers(request, store, page)


@router.post("/guidelines", response_class=HTMLResponse)
def save_guideline(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    """Publish a guideline or change one (its code stays; acts keep their title)."""
    assert page.actor is not None
    try:
        moderation_service.save_guideline(
            store,
            page.actor,
            form_text(form, "code"),
            form_text(form, "title"),
            form_text(form, "body"),
            active=form_text(form, "active") == "on",
        )
    except UserError as exc:
        return _answers(request, store, page, exc, exc.status)
    return back_to("/settings/answers", "guideline")


@router.post("/saved-replies", response_class=HTMLResponse)
def save_reply(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    try:
        reply_service.save_reply(
            store,
            page.actor,
            form_text(form, "name"),
            form_text(form, "body"),
            language=form_text(form, "language") or "da",
            kind=form_text(form, "kind") or "reply",
        )
    except UserError as exc:
        return _answers(request, store, page, exc, exc.status)
    return back_to("/settings/answers", "reply")


@router.post("/saved-replies/remove", response_class=HTMLResponse)
def remove_reply(request: Request, store: StoreDep, page: PageDep, form: FormDep) -> Response:
    assert page.actor is not None
    try:
        reply_service.remove_reply(
            store, page.actor, form_text(form, "name"), form_text(form, "language") or None
        )
    except UserError as exc:
        return _answers(request, store, page, exc, exc.status)
    return back_to("/settings/answers", "removed")
