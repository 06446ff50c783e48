"""The JSON shapes of the API (pydantic), built from the domain objects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from lytter.analysis.trends import EmergingTerm
from lytter.domain.access import Actor, ApiToken
from lytter.domain.analysis import PostAnalysis, TrendSettings
from lytter.domain.audit import AuditEntry, ChainCheck
from lytter.domain.authors import Author, AuthorSettings, AuthorSummary, AuthorType, Reason
from lytter.domain.inbox import InboxItem, ItemAction, ItemState, Priority
from lytter.domain.posts import Post, PostEdit
from lytter.domain.sources import Source
from lytter.domain.users import Role, User
from lytter.services.authors import AuthorProfile, reason_text
from lytter.services.inbox import ItemView
from lytter.services.posts import PostDetail, PostPage
from lytter.services.queries import QueryView
from lytter.services.themes import ThemeReport
from lytter.services.tone import ToneSeries
from lytter.services.trends import TrendReport
from lytter.services.users import UserView


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["post 7 does not exist"])
    field: str | None = Field(default=None, examples=["since"])
    column: int | None = Field(default=None, description="Query errors: where (1-based).")
    hint: str | None = Field(default=None, description="Query errors: how to fix it.")
    caret: str | None = Field(default=None, description="Query errors: the query and a ^.")


class ErrorBody(BaseModel):
    """Every error the API answers with."""

    error: ErrorDetail


class EngagementOut(BaseModel):
    likes: int | None
    comments: int | None
    shares: int | None
    views: int | None


class PostOut(BaseModel):
    id: int
    platform: str
    external_id: str
    source_id: int | None
    source_name: str | None
    author_id: int | None
    author_handle: str | None
    author_name: str | None
    root_id: str | None
    parent_id: str | None
    text: str
    language: str | None
    created_at: datetime
    collected_at: datetime
    url: str | None
    engagement: EngagementOut

    @classmethod
    def of(cls, p: Post) -> PostOut:
        e = p.engagement
        return cls(
            id=p.id,
            platform=p.platform,
            external_id=p.external_id,
            source_id=p.source_id,
            source_name=p.source_name,
            author_id=p.author_id,
            author_handle=p.author_handle,
            author_name=p.author_name,
            root_id=p.root_id,
            parent_id=p.parent_id,
            text=p.text,
            language=p.language,
            created_at=p.created_at,
            collected_at=p.collected_at,
            url=p.url,
            engagement=EngagementOut(
                likes=e.likes, comments=e.comments, shares=e.shares, views=e.views
            ),
        )


class PostList(BaseModel):
    """One page of posts. `total` stops counting at 10,000 (`total_is_exact` is then false)."""

    items: list[PostOut]
    total: int = Field(
        description="How many posts match: exact, an estimate (a query-language search that"
        " decided only some candidates) or a lower bound; see total_is_exact"
    )
    total_is_exact: bool
    partial: bool = Field(
        description="True when a search the full-text index could not narrow (only NOT or"
        " fields) stopped after 50,000 posts: add a word or a date range"
    )
    limit: int
    offset: int
    next_offset: int | None

    @classmethod
    def of(cls, page: PostPage) -> PostList:
        q = page.query
        more = len(page.posts) == q.limit and (
            q.offset + q.limit < page.total or not page.total_is_exact
        )
        return cls(
            items=[PostOut.of(p) for p in page.posts],
            total=page.total,
            total_is_exact=page.total_is_exact,
            partial=page.partial,
            limit=q.limit,
            offset=q.offset,
            next_offset=q.offset + q.limit if more else None,
        )


class EditOut(BaseModel):
    old_text: str
    replaced_at: datetime

    @classmethod
    def of(cls, e: PostEdit) -> EditOut:
        return cls(old_text=e.old_text, replaced_at=e.replaced_at)


class AnalysisOut(BaseModel):
    """What the models read in a post; `sentiment` is a person's correction where there is one."""

    language: str | None
    sentiment: str = Field(examples=["negative"])
    model_sentiment: str = Field(description="What the model said")
    sentiment_score: float = Field(description="The model's P(positive) - P(negative), -1 to 1")
    offensive: float = Field(description="The model's probability that the post is offensive")
    corrected: bool = Field(description="A person corrected the tone")
    model: str

    @classmethod
    def of(cls, a: PostAnalysis) -> AnalysisOut:
        return cls(
            language=a.language,
            sentiment=a.sentiment,
            model_sentiment=a.model_sentiment,
            sentiment_score=a.sentiment_score,
            offensive=a.offensive,
            corrected=a.corrected,
            model=a.model,
        )


class SentimentIn(BaseModel):
    sentiment: str = Field(examples=["negative"], description="negative, neutral or positive")


class PostDetailOut(BaseModel):
    """A post with the part of its conversation the caller may see, its earlier texts and
    what the models read in it (null until analysed)."""

    post: PostOut
    thread: list[PostOut]
    edits: list[EditOut]
    raw: dict[str, Any] | None
    analysis: AnalysisOut | None

    @classmethod
    def of(cls, d: PostDetail) -> PostDetailOut:
        return cls(
            post=PostOut.of(d.post),
            thread=[PostOut.of(p) for p in d.thread],
            edits=[EditOut.of(e) for e in d.edits],
            raw=d.post.raw,
            analysis=AnalysisOut.of(d.analysis) if d.analysis else None,
        )


class SourceOut(BaseModel):
    id: int
    platform: str
    external_id: str
    name: str
    brand_id: int | None
    url: str | None
    connector: str | None = Field(
        description="The connector Lytter collects it with; null for a source from an import"
    )
    settings: dict[str, Any] = Field(description="The connector's settings (never a token)")
    has_secret: bool = Field(description="An access token is stored for it, encrypted")
    collected_at: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, s: Source) -> SourceOut:
        return cls(
            id=s.id,
            platform=s.platform,
            external_id=s.external_id,
            name=s.name,
            brand_id=s.brand_id,
            url=s.url,
            connector=s.connector,
            settings=s.settings,
            has_secret=s.has_secret,
            collected_at=s.collected_at,
            last_error=s.last_error,
        )


class SourceIn(BaseModel):
    connector: str = Field(
        description="facebook, instagram, mastodon, bluesky or rss", examples=["rss"]
    )
    settings: dict[str, Any] = Field(
        description="rss: url. mastodon: instance, mode (tag, account, mentions), tag or"
        " account, since, token_env. bluesky: mode (search, author), query or actor, since."
        " facebook: page, since, watch_days. instagram: account, since, watch_days",
        examples=[{"url": "https://www.dr.dk/nyheder/service/feeds/senestenyt"}],
    )
    name: str | None = None
    token: str | None = Field(None, description="An access token, stored encrypted")
    poll_seconds: int = Field(900, ge=60)
    brand: str | None = Field(None, description="Whose channel: a brand's name (made if new)")
    competitor: bool = Field(False, description="A new brand is a competitor's")


class DraftOut(BaseModel):
    external_id: str
    text: str
    created_at: datetime
    author: str | None
    url: str | None


class SourceTrial(BaseModel):
    source: SourceOut
    posts: list[DraftOut]


class SourceCollected(BaseModel):
    source_id: int
    pages: int
    inserted: int
    changed: int
    error: str | None


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    locale: str
    all_sources: bool = Field(description="True for admins and viewers, who see every page.")
    source_ids: list[int] = Field(description="The pages granted (managers and agents).")

    @classmethod
    def of(cls, v: UserView) -> UserOut:
        u = v.user
        return cls(
            id=u.id,
            email=u.email,
            name=u.name,
            role=u.role,
            locale=u.locale,
            all_sources=v.sees_all_pages,
            source_ids=[s.id for s in v.sources],
        )


class MeOut(BaseModel):
    id: int | None
    email: str | None
    name: str | None
    role: Role
    locale: str
    workspace_id: int
    source_ids: list[int] | None = Field(description="Visible pages; null means all of them.")

    @classmethod
    def of(cls, actor: Actor) -> MeOut:
        u: User | None = actor.user
        return cls(
            id=u.id if u else None,
            email=u.email if u else None,
            name=u.name if u else None,
            role=actor.role,
            locale=u.locale if u else "da",
            workspace_id=actor.workspace_id,
            source_ids=None if actor.source_ids is None else sorted(actor.source_ids),
        )


class UserIn(BaseModel):
    email: str = Field(examples=["mette@banken.dk"])
    name: str = Field(examples=["Mette Holm"])
    role: Role = Role.AGENT
    password: str | None = Field(default=None, description="At least 8 characters.")
    locale: str = Field(default="da", examples=["da"])


class GrantIn(BaseModel):
    source_ids: list[int] = Field(min_length=1, examples=[[3, 4]])


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["Power BI"])


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None

    @classmethod
    def of(cls, t: ApiToken) -> TokenOut:
        return cls(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
        )


class NewTokenOut(TokenOut):
    secret: str = Field(description="Shown this once; send it as 'Authorization: Bearer …'.")


class QueryIn(BaseModel):
    name: str = Field(examples=["Netbank nede"])
    query: str = Field(examples=['netbank* NEAR/3 (nede OR "virker ikke")'])
    brand: str | None = Field(default=None, description="A brand's name: whose mentions.")
    tags: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list, description="Empty: every language.")
    compounds: str = Field(
        default="none", description="none, head, tail or both: plain words in Danish compounds."
    )


class QueryTextIn(BaseModel):
    query: str = Field(examples=["netbank~ NEAR/3 nede"])


class CheckedQuery(BaseModel):
    """A valid query as Lytter reads it, fully parenthesised."""

    canonical: str


class SavedQueryOut(BaseModel):
    id: int
    name: str
    query: str
    brand_id: int | None
    tags: list[str]
    languages: list[str]
    compounds: str
    matches: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: QueryView) -> SavedQueryOut:
        q = view.query
        return cls(
            id=q.id,
            name=q.name,
            query=q.text,
            brand_id=q.brand_id,
            tags=list(q.tags),
            languages=list(q.languages),
            compounds=q.compounds,
            matches=view.matches,
            created_at=q.created_at,
            updated_at=q.updated_at,
        )


class SynonymsIn(BaseModel):
    entries: list[str] = Field(min_length=1, examples=[["kundeservice*", '"customer service"']])


class SynonymsOut(BaseModel):
    name: str
    entries: list[str]


class GrowthOut(BaseModel):
    """How a theme grew in the last day, by the rule emerging terms follow."""

    score: float = Field(description="The highest burst score (Poisson log-likelihood ratio)")
    count: int = Field(description="Posts (one per author and hour) in the window that scored")
    expected: float = Field(description="What the theme's own share before expected")
    window_hours: int
    first_hour: datetime = Field(description="The first hour it was growing")
    peak_hour: datetime

    @classmethod
    def of(cls, term: EmergingTerm) -> GrowthOut:
        return cls(
            score=term.score,
            count=term.count,
            expected=term.expected,
            window_hours=term.window,
            first_hour=term.first_hour,
            peak_hour=term.peak_hour,
        )


class ThemeOut(BaseModel):
    label: str
    phrases: list[str]
    count: int = Field(description="Posts in this theme")
    share: float = Field(description="Of the posts read, 0 to 1")
    sentiment: dict[str, int] = Field(
        description="Analysed posts per tone: negative, neutral, positive"
    )
    examples: list[PostOut] = Field(description="The theme's most typical posts")
    post_ids: list[int]
    daily: list[int] = Field(
        description="Posts per day (UTC) up to the newest post read, at most 30 days, oldest first"
    )
    growth: GrowthOut | None = Field(
        description="Set when the theme grew in the last day against its own usual share"
    )


class ThemeList(BaseModel):
    """The themes of the newest posts matching the filters, biggest first."""

    items: list[ThemeOut]
    posts_read: int
    capped: bool = Field(description="More posts matched than were read (the newest were)")

    @classmethod
    def of(cls, report: ThemeReport) -> ThemeList:
        return cls(
            items=[
                ThemeOut(
                    label=t.label,
                    phrases=list(t.phrases),
                    count=t.count,
                    share=t.share,
                    sentiment=t.sentiment,
                    examples=[PostOut.of(p) for p in t.examples],
                    post_ids=list(t.post_ids),
                    daily=list(t.daily),
                    growth=None if t.growth is None else GrowthOut.of(t.growth),
                )
                for t in report.themes
            ],
            posts_read=report.posts_read,
            capped=report.capped,
        )


class TrendSettingsOut(BaseModel):
    """When a term counts as emerging: all of these must hold in one of the windows."""

    min_count: int = Field(description="Posts in the window, at least")
    min_ratio: float = Field(description="Times what the term's baseline expects, at least")
    threshold: float = Field(description="The burst score (Poisson log-likelihood ratio)")
    baseline_days: int = Field(description="Days before the window that set the usual share")
    windows: list[int] = Field(description="Windows, in hours, ending at each hour")

    @classmethod
    def of(cls, settings: TrendSettings) -> TrendSettingsOut:
        return cls(**settings.as_dict())


class TrendSettingsIn(BaseModel):
    """The thresholds to change; the ones left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    min_count: int | None = Field(default=None, examples=[5])
    min_ratio: float | None = Field(default=None, examples=[4.0])
    threshold: float | None = Field(default=None, examples=[25.0])
    baseline_days: int | None = Field(default=None, examples=[14])
    windows: list[int] | None = Field(default=None, examples=[[1, 3, 6, 24]])


class TrendOut(BaseModel):
    term: str = Field(examples=["mobilepay"])
    kind: str = Field(description="word, phrase, hashtag or mention")
    score: float = Field(description="The highest burst score in the hours looked at")
    count: int = Field(description="Posts (one per author and hour) in the window that scored")
    expected: float = Field(description="What the term's baseline expected in that window")
    window_hours: int
    first_hour: datetime = Field(description="The first hour it was emerging")
    peak_hour: datetime
    hourly: list[int] = Field(description="Posts per hour from `series_start`, oldest first")
    sentiment: dict[str, int] = Field(description="Its analysed posts in the hours looked at")
    examples: list[PostOut] = Field(description="Its newest posts")
    post_ids: list[int] = Field(description="Its posts in the hours looked at, newest first")


class TrendList(BaseModel):
    """The terms emerging in the hours looked at, highest burst score first."""

    items: list[TrendOut]
    since: datetime
    until: datetime
    series_start: datetime
    posts_read: int
    capped: bool = Field(description="More posts matched than were read (the newest were)")
    settings: TrendSettingsOut

    @classmethod
    def of(cls, report: TrendReport) -> TrendList:
        return cls(
            items=[
                TrendOut(
                    term=s.term.term,
                    kind=s.term.kind,
                    score=s.term.score,
                    count=s.term.count,
                    expected=s.term.expected,
                    window_hours=s.term.window,
                    first_hour=s.term.first_hour,
                    peak_hour=s.term.peak_hour,
                    hourly=list(s.term.series),
                    sentiment=s.sentiment,
                    examples=[PostOut.of(p) for p in s.examples],
                    post_ids=list(s.term.post_ids),
                )
                for s in report.terms
            ],
            since=report.since,
            until=report.until,
            series_start=report.series_start,
            posts_read=report.posts_read,
            capped=report.capped,
            settings=TrendSettingsOut.of(report.settings),
        )


# -- authors -----------------------------------------------------------------------------------


class ReasonOut(BaseModel):
    code: str = Field(examples=["offensive"])
    count: int = Field(examples=[3])
    of: int = Field(examples=[4])
    text: str = Field(examples=["3 of 4 posts offensive"])

    @classmethod
    def of_(cls, r: Reason) -> ReasonOut:
        return cls(code=r.code, count=r.count, of=r.of, text=reason_text(r))


class AuthorTypeOut(BaseModel):
    """What kind of voice an author is: a person's override where there is one."""

    type: str = Field(examples=["critic"], description="critic, troll, ambassador or none")
    computed: str = Field(description="Lytter's reading of the posts")
    reasons: list[ReasonOut] = Field(description="The evidence for the computed type")
    stats: dict[str, Any] = Field(description="What the author's posts add up to")
    computed_at: datetime
    override: str | None = Field(description="A person's type, which wins")
    override_note: str | None
    override_by: str | None = Field(description="Who set it (e-mail)")
    override_at: datetime | None

    @classmethod
    def of(cls, t: AuthorType) -> AuthorTypeOut:
        return cls(
            type=t.type,
            computed=t.computed,
            reasons=[ReasonOut.of_(r) for r in t.reasons],
            stats=t.stats.as_dict(),
            computed_at=t.computed_at,
            override=t.override,
            override_note=t.override_note,
            override_by=t.override_by,
            override_at=t.override_at,
        )


class AuthorOut(BaseModel):
    id: int
    platform: str
    handle: str
    name: str | None
    followers: int | None
    label: AuthorTypeOut | None = Field(description="None until their posts are analysed")

    @classmethod
    def of(cls, a: Author, label: AuthorType | None) -> AuthorOut:
        return cls(
            id=a.id,
            platform=a.platform,
            handle=a.handle,
            name=a.name,
            followers=a.followers,
            label=AuthorTypeOut.of(label) if label else None,
        )


class AuthorList(BaseModel):
    """Typed authors, those with most posts first, and how many there are of each type."""

    items: list[AuthorOut]
    counts: dict[str, int] = Field(examples=[{"critic": 12, "troll": 3, "ambassador": 5}])

    @classmethod
    def of(cls, found: list[AuthorSummary], counts: dict[str, int]) -> AuthorList:
        return cls(items=[AuthorOut.of(s.author, s.label) for s in found], counts=counts)


class MonthToneOut(BaseModel):
    month: str = Field(examples=["2026-11"])
    negative: int
    neutral: int
    positive: int


class PageCountOut(BaseModel):
    name: str
    posts: int


class AuthorProfileOut(AuthorOut):
    """An author with their tone month by month, their pages and their newest posts."""

    months: list[MonthToneOut]
    pages: list[PageCountOut]
    posts: list[PostOut]

    @classmethod
    def of_profile(cls, p: AuthorProfile) -> AuthorProfileOut:
        base = AuthorOut.of(p.author, p.label)
        return cls(
            **base.model_dump(exclude={"label"}),
            label=base.label,
            months=[
                MonthToneOut(
                    month=m.month, negative=m.negative, neutral=m.neutral, positive=m.positive
                )
                for m in p.months
            ],
            pages=[PageCountOut(name=n, posts=c) for n, c in p.pages],
            posts=[PostOut.of(x) for x in p.posts],
        )


class AuthorTypeIn(BaseModel):
    """A person's reading of an author; null type goes back to Lytter's."""

    model_config = ConfigDict(extra="forbid")

    type: str | None = Field(examples=["troll"], description="critic, troll, ambassador, none")
    note: str | None = Field(default=None, examples=["Same insult on twelve pages"])


class AuthorSettingsOut(BaseModel):
    """When an author counts as a critic, a troll or an ambassador in this workspace."""

    min_posts: int
    troll_offensive_share: float
    troll_repeat_share: float
    troll_max_substance_share: float
    critic_negative_share: float
    critic_substance_share: float
    ambassador_positive_share: float
    ambassador_min_helps: int
    min_followers: int
    min_engagement: int

    @classmethod
    def of(cls, s: AuthorSettings) -> AuthorSettingsOut:
        return cls(**s.as_dict())


class AuthorSettingsIn(BaseModel):
    """The thresholds to change; the ones left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    min_posts: int | None = Field(default=None, examples=[3])
    troll_offensive_share: float | None = None
    troll_repeat_share: float | None = None
    troll_max_substance_share: float | None = None
    critic_negative_share: float | None = Field(default=None, examples=[0.3])
    critic_substance_share: float | None = None
    ambassador_positive_share: float | None = None
    ambassador_min_helps: int | None = None
    min_followers: int | None = None
    min_engagement: int | None = None


# -- tone over time ----------------------------------------------------------------------------


class ToneBucketOut(BaseModel):
    start: datetime = Field(description="The period's start, in the workspace's time zone")
    posts: int
    negative: int
    neutral: int
    positive: int
    net: float = Field(description="(positive - negative) / posts, from -1 to 1")
    score: float = Field(description="The mean of the model's scores, from -1 to 1")


class ToneOut(BaseModel):
    """A selection's analysed posts by tone, period by period (empty periods included)."""

    interval: str = Field(examples=["day"])
    items: list[ToneBucketOut]
    posts_read: int
    capped: bool = Field(description="More posts matched than were counted (the newest were)")

    @classmethod
    def of(cls, series: ToneSeries) -> ToneOut:
        return cls(
            interval=series.interval,
            items=[
                ToneBucketOut(
                    start=b.start,
                    posts=b.posts,
                    negative=b.negative,
                    neutral=b.neutral,
                    positive=b.positive,
                    net=round(b.net, 4),
                    score=round(b.score, 4),
                )
                for b in series.buckets
            ],
            posts_read=series.posts_read,
            capped=series.capped,
        )


class AuditEntryOut(BaseModel):
    """One audited act, with the hashes that chain it to the entry before."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str = Field(description="What it was done to, e.g. post:123 or author:45")
    reason: str
    evidence: dict[str, str] = Field(description="Each piece of evidence kept, by its SHA-256")
    details: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            subject=entry.subject,
            reason=entry.reason,
            evidence=dict(entry.evidence),
            details=dict(entry.details),
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


class AuditCheckOut(BaseModel):
    """Whether the audit log's hash chain is intact."""

    intact: bool
    entries: int = Field(description="Entries checked before a problem, or all of them")
    head: str = Field(description="The newest good entry's hash: keep it elsewhere")
    problem: str | None = None
    seq: int | None = Field(None, description="The entry where the problem is")

    @classmethod
    def of(cls, check: ChainCheck) -> AuditCheckOut:
        return cls(
            intact=check.intact,
            entries=check.entries,
            head=check.head,
            problem=check.problem,
            seq=check.seq,
        )


class InboxItemOut(BaseModel):
    """A conversation on an own page that needs (or needed) an answer."""

    id: int
    platform: str
    thread: str = Field(description="The thread's root post id on the platform")
    source_id: int | None
    state: ItemState
    priority: Priority
    assignee_id: int | None
    tags: list[str]
    flagged: bool = Field(description="A person put it in the inbox")
    posts: int
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send it back as seen_version to act on what you saw")
    waiting_since: datetime | None = Field(description="The oldest unanswered post (null: none)")
    first_response_at: datetime | None
    resolved_at: datetime | None
    snoozed_until: datetime | None

    @classmethod
    def of(cls, item: InboxItem) -> InboxItemOut:
        return cls(
            id=item.id,
            platform=item.platform,
            thread=item.thread,
            source_id=item.source_id,
            state=item.state,
            priority=item.priority,
            assignee_id=item.assignee_id,
            tags=list(item.tags),
            flagged=item.flagged,
            posts=item.posts,
            created_at=item.created_at,
            updated_at=item.updated_at,
            version=item.version,
            waiting_since=item.waiting_since,
            first_response_at=item.first_response_at,
            resolved_at=item.resolved_at,
            snoozed_until=item.snoozed_until,
        )


class ItemEventOut(BaseModel):
    at: datetime
    actor: str
    kind: str = Field(description="created, post, answered, reopened, state, assigned, ...")
    details: dict[str, Any]


class InboxItemDetail(BaseModel):
    """An item with the conversation the caller may see and its whole history."""

    item: InboxItemOut
    thread: list[PostOut]
    events: list[ItemEventOut]

    @classmethod
    def of(cls, view: ItemView) -> InboxItemDetail:
        return cls(
            item=InboxItemOut.of(view.item),
            thread=[PostOut.of(p) for p in view.thread],
            events=[
                ItemEventOut(at=e.at, actor=e.actor, kind=e.kind, details=e.details)
                for e in view.events
            ],
        )


class ItemActionIn(BaseModel):
    action: ItemAction
    until: AwareDatetime | None = Field(
        None, description="With snooze: when it wakes (with its offset: 2024-05-31T09:00+02:00)"
    )
    seen_version: int | None = Field(
        None, description="The item's version as you saw it: refused (409) if it changed since"
    )


class ItemAssignIn(BaseModel):
    email: str | None = Field(description="The user to give it to; null: to nobody")
    seen_version: int | None = None


class ItemNoteIn(BaseModel):
    text: str = Field(description="An internal note, never sent to the customer")


class ItemChangeIn(BaseModel):
    add_tags: list[str] = []
    remove_tags: list[str] = []
    priority: Priority | None = None


class FlagIn(BaseModel):
    post_id: int


class ReplyIn(BaseModel):
    text: str | None = Field(None, description="The answer (or use `saved`)")
    saved: str | None = Field(None, description="A saved reply's name, filled in for the item")
    language: str | None = Field(None, description="The saved reply's language (da, en)")
    to_post_id: int | None = Field(None, description="Answer this post (default the newest)")
    seen_version: int | None = Field(
        None, description="The item's version as you saw it: refused (409) if it changed since"
    )


class ReplyOut(BaseModel):
    item: InboxItemOut
    post_id: int = Field(description="The answer, stored as a post of the conversation")
    external_id: str = Field(description="The answer's id on the platform")
    text: str = Field(description="As sent, with the desk's signature")


class PresenceIn(BaseModel):
    composing: bool = Field(False, description="The caller is writing a reply")


class ViewerOut(BaseModel):
    email: str
    name: str
    seen_at: datetime
    composing: bool


class SavedReplyIn(BaseModel):
    name: str
    body: str = Field(description="The text, with {author}, {page}, {agent}, {desk} ...")
    language: str = "da"
    kind: str = Field("reply", description="reply, or notice (tells an author why)")


class SavedReplyOut(BaseModel):
    id: int
    name: str
    kind: str
    language: str
    body: str
    updated_at: datetime


class GuidelineIn(BaseModel):
    title: str
    body: str = Field(description="What is not allowed, and why")
    active: bool = True


class GuidelineOut(BaseModel):
    code: str
    title: str
    body: str
    position: int
    active: bool
    updated_at: datetime


class ModerationIn(BaseModel):
    action: str = Field(description="hide, unhide, delete, block or unblock")
    guideline: str | None = Field(None, description="The guideline's code (the reason)")
    note: str | None = None
    notify: str = Field("auto", description="auto, platform, email or none")
    email: str | None = Field(None, description="Tell the author by e-mail at this address")
    expires_days: int | None = Field(None, ge=1, le=3650, description="A block's length")
    review_days: int | None = Field(None, ge=1, le=3650, description="When to review a block")
    item_id: int | None = Field(None, description="The inbox item it belongs to")


class ModerationActOut(BaseModel):
    id: int
    post_id: int
    item_id: int | None
    action: str
    guideline: str
    reason: str
    note: str | None
    actor: str
    at: datetime
    status: str
    error: str | None
    evidence_id: int | None
    notice_channel: str | None
    notice_status: str | None
    expires_at: datetime | None
    review_at: datetime | None
    lifted_at: datetime | None
    audit_seq: int | None


class EvidenceOut(BaseModel):
    id: int
    post_id: int
    captured_at: datetime
    payload_sha256: str
    html_sha256: str
    png_sha256: str | None
    png_missing: str | None
    intact: bool = Field(description="The kept files still have their hashes")


class MemberOut(BaseModel):
    email: str
    name: str
    shift: str = Field(description="Their weekly shift on the desk")
    own_shift: bool = Field(description="Their own shift (false: the desk's hours)")


class SlaOut(BaseModel):
    priority: Priority
    first_response_minutes: int | None = Field(description="null: no target")
    resolution_minutes: int | None = Field(description="null: no target")
    warn_minutes: int = Field(description="Warned this long before a breach")


class DeskOut(BaseModel):
    id: int
    name: str
    hours: str = Field(description="Working hours: 'mon-fri 08:00-16:00' or 24/7")
    timezone: str
    signature: str | None = Field(
        description="What replies end with: '/{agent}' or '/Kundeservice'"
    )
    members: list[MemberOut]
    sla: list[SlaOut]


class DeskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    hours: str = Field("mon-fri 08:00-16:00", description="'mon-thu 8-16; fri 8-15' or 24/7")
    timezone: str | None = Field(None, description="Default: the workspace's")


class DeskChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: str | None = None
    signature: str | None = Field(None, description="'' signs nothing")
    members: list[str] | None = Field(None, description="Every member's e-mail (replaces them)")


class SlaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    first_response: str | None = Field(None, description="'2h', '90m'; null: no target")
    resolution: str | None = Field(None, description="'8h'; null: no target")
    warn_before: str = "30m"


class ShiftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shift: str | None = Field(description="'mon-wed 08:00-12:00'; null: the desk's hours")


class AbsenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str
    starts_at: AwareDatetime = Field(description="With its offset: 2024-07-01T00:00+02:00")
    ends_at: AwareDatetime
    note: str | None = Field(None, description="ferie, kursus, syg")


class AbsenceOut(BaseModel):
    id: int
    email: str
    starts_at: datetime
    ends_at: datetime
    note: str | None


class RosterLineOut(BaseModel):
    email: str
    name: str
    shift: str
    own_shift: bool
    on_now: bool
    next_start: datetime | None = Field(description="Their next shift (null: on now, or none)")
    away: AbsenceOut | None = Field(description="The absence they are in, or the next one")


class RuleWhen(BaseModel):
    """What an item must be; each empty field holds for any item."""

    model_config = ConfigDict(extra="forbid")

    pages: list[str] = Field([], description="Page names or ids")
    platforms: list[str] = []
    queries: list[str] = Field([], description="Saved queries its posts match")
    languages: list[str] = []
    sentiments: list[str] = Field([], description="negative, neutral, positive")
    author_types: list[str] = Field([], description="critic, troll, ambassador")
    authors: list[str] = Field([], description="Handles")
    words: str | None = Field(None, description="A query in the query language")
    hours: str | None = Field(None, description="Came in during these hours: 'sat-sun 0-24'")


class RuleThen(BaseModel):
    """What the rule does to the items it takes."""

    model_config = ConfigDict(extra="forbid")

    desk: str | None = None
    to: str | None = Field(None, description="Give it to this user (e-mail)")
    assign: str | None = Field(None, description="round_robin or least_loaded, among on shift")
    priority: Priority | None = None
    tags: list[str] = []
    note: str | None = Field(None, description="An internal note on the item")


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    position: int | None = Field(None, ge=1, description="Tried at this place; default last")
    when: RuleWhen = Field(default_factory=lambda: RuleWhen.model_validate({}))
    then: RuleThen


class RuleOut(BaseModel):
    id: int
    position: int
    name: str
    enabled: bool
    when: RuleWhen
    then: RuleThen
    wording: str = Field(description="The rule in words: 'when …, then …'")


class RuleChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int | None = Field(None, ge=1)
    enabled: bool | None = None


class DryRunItemOut(BaseModel):
    item_id: int
    platform: str
    thread: str
    why: str


class DryRunOut(BaseModel):
    days: int
    items: int = Field(description="Items of those days")
    taken: int = Field(description="How many the new rule would have taken")
    taken_items: list[DryRunItemOut] = Field(description="The first 100 it would have taken")


class PageHealthOut(BaseModel):
    page: str
    source_id: int
    platform: str
    score: int = Field(description="0-100, higher is healthier")
    dormant: bool = Field(description="No own post for the dormant days")
    reasons: list[str] = Field(description="Why points were taken off, the worst first")
    last_own_post: datetime | None
    last_reply: datetime | None
    days_since_own_post: int | None
    days_since_reply: int | None
    unanswered: int = Field(description="Conversations waiting for the page's answer")


class MetricTotalsOut(BaseModel):
    """One bucket's numbers (or the whole period's); shares from 0 to 1, times in seconds;
    None where there is nothing to divide by."""

    start: date = Field(description="The bucket's first day (the period's for the total)")
    posts: int
    own_posts: int = Field(description="Posts the pages published themselves, not replies")
    own_replies: int = Field(description="The pages' own answers in conversations")
    engagement: int = Field(description="Likes, comments and shares")
    likes: int
    comments: int
    shares: int
    views: int
    unique_authors: int
    analysed: int = Field(description="Posts with a tone")
    positive: int
    negative: int
    positive_share: float | None
    negative_share: float | None
    net_sentiment: float | None = Field(description="(positive - negative) / analysed")
    items: int = Field(description="Inbox items that started in the bucket")
    answered: int
    response_rate: float | None
    first_response_median_s: int | None
    first_response_p90_s: int | None
    resolved: int
    resolution_median_s: int | None
    resolution_p90_s: int | None
    sla_first_response_met: int
    sla_first_response_due: int = Field(
        description="Items whose first-response target is met, missed or breached"
    )
    sla_first_response: float | None = Field(description="Share of those met")
    sla_resolution_met: int
    sla_resolution_due: int
    sla_resolution: float | None


class VoiceOut(BaseModel):
    brand: str
    kind: str = Field(description="own or competitor")
    posts: int = Field(description="Posts matching any of the brand's saved queries")
    share: float | None


class PeriodOut(BaseModel):
    start: date
    end: date


class MetricsOut(BaseModel):
    period: PeriodOut
    granularity: str
    total: MetricTotalsOut
    series: list[MetricTotalsOut]
    share_of_voice: list[VoiceOut]


class HealthSettingsOut(BaseModel):
    """When a page counts as dormant, not answering, behind or slow."""

    dormant_days: int = Field(description="No own post for this many days: dormant")
    reply_days: int = Field(description="Conversations wait and no reply for this many days")
    unanswered: int = Field(description="More waiting conversations than this: behind")
    wait_hours: int = Field(description="The oldest waiting conversation older than this: slow")


class HealthSettingsIn(BaseModel):
    """The thresholds to change; those left out stay as they are."""

    dormant_days: int | None = None
    reply_days: int | None = None
    unanswered: int | None = None
    wait_hours: int | None = None


class GoalIn(BaseModel):
    """A goal: `metric` `comparison` `target` each `per`, for a page, a desk or neither (the
    workspace). Shares are percentages (95 = 95 %), times minutes."""

    name: str = Field(examples=["Daily post"])
    metric: str = Field(examples=["own-posts"], description="See GET /goals/metrics")
    target: float = Field(examples=[1])
    per: str = Field("day", description="day, week, month or year")
    page: str | None = Field(None, description="A page's name or id")
    desk: str | None = Field(None, description="A desk's name or id")
    comparison: str | None = Field(
        None, description="at-least or at-most; the metric's own way when left out"
    )


class GoalPeriodOut(BaseModel):
    start: date
    end: date
    status: str = Field(description="met, missed, on-track, at-risk or no-data")
    value: float | None = Field(description="The metric so far, in the goal's unit")
    expected: float | None = Field(
        description="A count in the running period: where it should be by now"
    )


class GoalOut(BaseModel):
    id: int
    name: str
    metric: str
    comparison: str
    target: float
    per: str
    scope: str = Field(description="workspace, or the page's or the desk's name")
    page_id: int | None
    desk_id: int | None
    status: str = Field(description="Where the running period stands")
    current: GoalPeriodOut
    attainment: float | None = Field(description="Share of the finished periods met, 0-1")
    history: list[GoalPeriodOut] = Field(description="Finished periods, the newest first")


class GoalMetricOut(BaseModel):
    name: str
    unit: str = Field(description="count, share (a percentage) or minutes")
    comparison: str = Field(description="The way it usually points")
    posts: bool = Field(description="Read from posts (not on a desk) rather than inbox items")
    label: str


class AlertOut(BaseModel):
    id: int
    kind: str = Field(
        description="emerging-term, volume-spike, sentiment-drop, sla-breach, dormant-page or"
        " goal-at-risk"
    )
    title: str
    details: dict[str, Any]
    opened_at: datetime
    closed_at: datetime | None = Field(description="When the incident was over; None: open")
    read: bool = Field(description="Whether the caller has read it")


class AlertsReadIn(BaseModel):
    ids: list[int] | None = Field(None, description="The alerts to mark read; None: every one")


class SubscriptionIn(BaseModel):
    channel: str = Field(examples=["webhook"], description="email or webhook")
    address: str | None = Field(
        None, description="The e-mail address (your own when left out) or the webhook URL"
    )
    kinds: list[str] | None = Field(None, description="Only these kinds; None: every kind")


class SubscriptionOut(BaseModel):
    id: int
    channel: str
    address: str
    kinds: list[str] | None
    secret: str | None = Field(
        None, description="A new webhook's signing secret, returned once, when it is made"
    )
