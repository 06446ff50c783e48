"""The inbox's rules without a database: which actions each state allows, and what posts do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lytter.domain.inbox import ItemAction, ItemState, ThreadPost, absorb, next_state

T = datetime(2024, 5, 1, 9, tzinfo=UTC)


def post(n: int, minutes: int, from_page: bool = False, thread: str = "1") -> ThreadPost:
    return ThreadPost(n, 7, "facebook", thread, T + timedelta(minutes=minutes), from_page)


def test_a_resolved_item_can_only_be_reopened() -> None:
    allowed = [a for a in ItemAction if next_state(ItemState.RESOLVED, a) is not None]
    assert allowed == [ItemAction.REOPEN]
    assert next_state(ItemState.NEW, ItemAction.REOPEN) is None
    assert next_state(ItemState.PENDING, ItemAction.OPEN) == ItemState.OPEN


def test_posts_are_read_in_the_order_they_were_written() -> None:
    # The page's reply (id 1) arrives before the question it answers (id 2).
    (change,) = absorb({}, [post(1, 5, from_page=True), post(2, 0), post(3, 9)])
    assert change.new and change.fields["first_response_at"] == T + timedelta(minutes=5)
    assert change.fields["waiting_since"] == T + timedelta(minutes=9)
    assert [kind for _, kind, _ in change.events] == ["created", "answered", "post"]


def test_the_pages_own_post_opens_no_item() -> None:
    assert absorb({}, [post(1, 0, from_page=True, thread="9")]) == []
