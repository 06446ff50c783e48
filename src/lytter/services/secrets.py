"""Credentials at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256), never stored plain.

The key is `LYTTER_SECRET_KEY` (a Fernet key) when set, else the key file at
`LYTTER_KEY_FILE`, else `~/.config/lytter/secret.key`, made on first use and readable by its
owner only. Keep the key file out of database backups: together they are the credentials.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from lytter.services.errors import UserError


def key_file() -> Path:
    configured = os.environ.get("LYTTER_KEY_FILE")
    if configured:
        return Path(configured).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "lytter" / "secret.key"


def _fernet(create: bool) -> Fernet | None:
    key = os.environ.get("LYTTER_SECRET_KEY")
    if not key:
        path = key_file()
        if path.exists():
            key = path.read_text("ascii").strip()
        elif create:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Fernet.generate_key().decode("ascii")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(key + "\n")
        else:
            return None
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeError) as exc:
        raise UserError("the secret key is not a Fernet key: {reason}", reason=str(exc)) from exc


def encrypt(secret: str) -> str:
    fernet = _fernet(create=True)
    assert fernet is not None
    return fernet.encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    fernet = _fernet(create=False)
    if fernet is None:
        raise UserError(
            "cannot read a source's credentials: the key file {path} is missing",
            path=str(key_file()),
        )
    try:
        return fernet.decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise UserError(
            "cannot read a source's credentials with the key in {path}: was it replaced?",
            path=str(key_file()),
        ) from exc
