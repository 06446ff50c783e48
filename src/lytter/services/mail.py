"""Sending e-mail: the notices that tell an author why their post was moderated.

The SMTP server is named by `LYTTER_SMTP` (`host:port`, default 127.0.0.1:25) and mail comes
from `LYTTER_MAIL_FROM` (default lytter@localhost). `LYTTER_SMTP_USER`/`LYTTER_SMTP_PASSWORD`
log in, over STARTTLS when the server offers it.
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid


@dataclass(frozen=True, slots=True)
class Mailer:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "lytter@localhost"
    user: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> Mailer:
        host, _, port = os.environ.get("LYTTER_SMTP", "127.0.0.1:25").rpartition(":")
        return cls(
            host=host or "127.0.0.1",
            port=int(port or 25),
            sender=os.environ.get("LYTTER_MAIL_FROM", "lytter@localhost"),
            user=os.environ.get("LYTTER_SMTP_USER") or None,
            password=os.environ.get("LYTTER_SMTP_PASSWORD") or None,
        )

    def send(self, to: str, subject: str, body: str) -> str:
        """Send one plain-text mail; returns its Message-ID. Raises OSError or
        smtplib.SMTPException when the server cannot be reached or refuses it."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or "localhost")
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.user:
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        return str(message["Message-ID"])
