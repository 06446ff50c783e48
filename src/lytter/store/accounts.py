"""The accounts aggregate of the SQL store: users, page grants, API tokens, login sessions."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from lytter.domain.access import ApiToken, LoginSession
from lytter.domain.users import Role, User
from lytter.store.base import Clock
from lytter.store.tables import (
    api_tokens,
    login_failures,
    login_sessions,
    source_grants,
    sources,
    users,
)

_USER_FIELDS = frozenset({"name", "role", "locale", "password_hash"})


def _user(r: Any) -> User:
    return User(r.id, r.workspace_id, r.email, r.name, Role(r.role), r.locale, r.created_at)


_user_columns = (
    users.c.id,
    users.c.workspace_id,
    users.c.email,
    users.c.name,
    users.c.role,
    users.c.locale,
    users.c.created_at,
)


class SqlAccounts:
    """Users and how they get in; mixed into SqlStore, which supplies the engine."""

    engine: sa.Engine
    clock: Clock

    if TYPE_CHECKING:  # supplied by SqlStore and its engine subclasses

        def _write(self) -> AbstractContextManager[sa.Connection]: ...
        def _insert(self, table: sa.Table) -> Any: ...

    # -- users -------------------------------------------------------------------------------

    def add_user(
        self,
        workspace_id: int,
        email: str,
        name: str,
        role: Role,
        locale: str,
        password_hash: str | None,
    ) -> User:
        with self._write() as conn:
            user_id = conn.execute(
                users.insert()
                .values(
                    workspace_id=workspace_id,
                    email=email,
                    name=name,
                    role=role.value,
                    locale=locale,
                    password_hash=password_hash,
                    created_at=self.clock(),
                )
                .returning(users.c.id)
            ).scalar_one()
            return _user(conn.execute(sa.select(*_user_columns).where(users.c.id == user_id)).one())

    def get_user(self, user_id: int) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_user_columns).where(users.c.id == user_id)).first()
        return None if row is None else _user(row)

    def find_user(self, email: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_user_columns).where(users.c.email == email)).first()
        return None if row is None else _user(row)

    def password_hash(self, user_id: int) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(users.c.password_hash).where(users.c.id == user_id)
            ).scalar()
        return None if value is None else str(value)

    def list_users(self, workspace_id: int) -> list[User]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(*_user_columns)
                .where(users.c.workspace_id == workspace_id)
                .order_by(users.c.email)
            )
            return [_user(r) for r in rows]

    def has_users(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(users.c.id).limit(1)).first() is not None

    def update_user(self, user_id: int, **fields: Any) -> None:
        unknown = set(fields) - _USER_FIELDS
        if unknown:
            raise ValueError(f"cannot update user fields {sorted(unknown)}")
        if "role" in fields:
            fields["role"] = Role(fields["role"]).value
        with self._write() as conn:
            conn.execute(users.update().where(users.c.id == user_id).values(**fields))

    # -- page grants -------------------------------------------------------------------------

    def grant_sources(self, user_id: int, source_ids: Iterable[int]) -> None:
        rows = [
            {"user_id": user_id, "source_id": s, "granted_at": self.clock()}
            for s in sorted(set(source_ids))
        ]
        if not rows:
            return
        with self._write() as conn:
            conn.execute(
                self._insert(source_grants)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["user_id", "source_id"])
            )

    def revoke_sources(self, user_id: int, source_ids: Iterable[int]) -> None:
        ids = sorted(set(source_ids))
        with self._write() as conn:
            conn.execute(
                source_grants.delete().where(
                    source_grants.c.user_id == user_id, source_grants.c.source_id.in_(ids)
                )
            )

    def granted_sources(self, user_id: int) -> list[int]:
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(source_grants.c.source_id)
                    .where(source_grants.c.user_id == user_id)
                    .order_by(source_grants.c.source_id)
                ).scalars()
            )

    def grants(self, workspace_id: int) -> dict[int, list[int]]:
        """Every user's granted source ids in the workspace (users without grants left out)."""
        stmt = (
            sa.select(source_grants.c.user_id, source_grants.c.source_id)
            .select_from(source_grants.join(sources, source_grants.c.source_id == sources.c.id))
            .where(sources.c.workspace_id == workspace_id)
            .order_by(source_grants.c.user_id, source_grants.c.source_id)
        )
        result: dict[int, list[int]] = {}
        with self.engine.connect() as conn:
            for user_id, source_id in conn.execute(stmt):
                result.setdefault(user_id, []).append(source_id)
        return result

    # -- API tokens --------------------------------------------------------------------------

    def add_token(self, user_id: int, name: str, prefix: str, token_hash: str) -> ApiToken:
        now = self.clock()
        with self._write() as conn:
            token_id = conn.execute(
                api_tokens.insert()
                .values(
                    user_id=user_id,
                    name=name,
                    prefix=prefix,
                    token_hash=token_hash,
                    created_at=now,
                )
                .returning(api_tokens.c.id)
            ).scalar_one()
        return ApiToken(token_id, user_id, name, prefix, now, None)

    def token_user(self, token_hash: str) -> User | None:
        """The user whose token has `token_hash`, marking the token as used now."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(
                    api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at, *_user_columns
                )
                .select_from(api_tokens.join(users, api_tokens.c.user_id == users.c.id))
                .where(api_tokens.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        now = self.clock()
        # Written at most once a minute: a busy API client must not turn reads into writes.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            with self._write() as conn:
                conn.execute(
                    api_tokens.update()
                    .where(api_tokens.c.id == row.token_id)
                    .values(last_used_at=now)
                )
        return _user(row)

    def list_tokens(self, user_id: int) -> list[ApiToken]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                api_tokens.select().where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
            )
            return [
                ApiToken(r.id, r.user_id, r.name, r.prefix, r.created_at, r.last_used_at)
                for r in rows
            ]

    def delete_token(self, user_id: int, token_id: int) -> bool:
        with self._write() as conn:
            deleted = conn.execute(
                api_tokens.delete().where(
                    api_tokens.c.user_id == user_id, api_tokens.c.id == token_id
                )
            ).rowcount
        return bool(deleted)

    # -- login sessions ----------------------------------------------------------------------

    def add_session(
        self, session_hash: str, user_id: int, csrf_token: str, expires_at: datetime
    ) -> None:
        now = self.clock()
        with self._write() as conn:
            conn.execute(login_sessions.delete().where(login_sessions.c.expires_at < now))
            conn.execute(
                login_sessions.insert().values(
                    session_hash=session_hash,
                    user_id=user_id,
                    csrf_token=csrf_token,
                    created_at=now,
                    expires_at=expires_at,
                )
            )

    def get_session(self, session_hash: str) -> LoginSession | None:
        """The live session with `session_hash`; None when unknown or expired."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(login_sessions.c.csrf_token, login_sessions.c.expires_at, *_user_columns)
                .select_from(login_sessions.join(users, login_sessions.c.user_id == users.c.id))
                .where(
                    login_sessions.c.session_hash == session_hash,
                    login_sessions.c.expires_at > self.clock(),
                )
            ).first()
        return None if row is None else LoginSession(_user(row), row.csrf_token, row.expires_at)

    def delete_session(self, session_hash: str) -> None:
        with self._write() as conn:
            conn.execute(
                login_sessions.delete().where(login_sessions.c.session_hash == session_hash)
            )

    def delete_user_sessions(self, user_id: int) -> None:
        with self._write() as conn:
            conn.execute(login_sessions.delete().where(login_sessions.c.user_id == user_id))

    # -- failed logins -----------------------------------------------------------------------

    def add_login_failure(self, keys: Iterable[str], forget_before: datetime) -> None:
        """Record a failed login under each key, forgetting failures older than `forget_before`."""
        now = self.clock()
        with self._write() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.failed_at < forget_before))
            conn.execute(login_failures.insert(), [{"key": k, "failed_at": now} for k in keys])

    def login_failures(self, key: str, since: datetime) -> list[datetime]:
        """When logins under `key` failed since `since`, oldest first."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    sa.select(login_failures.c.failed_at)
                    .where(login_failures.c.key == key, login_failures.c.failed_at >= since)
                    .order_by(login_failures.c.failed_at)
                ).scalars()
            )

    def clear_login_failures(self, key: str) -> None:
        with self._write() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.key == key))
