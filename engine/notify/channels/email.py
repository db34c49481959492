"""Email over SMTP, to the address in each user's `email`.

ENGINE_SMTP_URL: smtp://[user:password@]host[:port] (STARTTLS when the server offers it),
smtps://… for TLS from the start; ENGINE_MAIL_FROM: the sender.
"""
from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from engine.i18n import N_, _
from engine.notify.channel import AddressError, Channel, Message, register

TIMEOUT = 10  # seconds for one SMTP exchange
ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_ADDRESS = 254


@register
class Email(Channel):
    name = "email"
    address = N_("Email")
    settings = ("ENGINE_SMTP_URL", "ENGINE_MAIL_FROM")

    @property
    def ready(self) -> bool:
        return bool(self.setting("ENGINE_SMTP_URL"))

    @classmethod
    def check_address(cls, address: str) -> str:
        address = address.strip()
        if len(address) > MAX_ADDRESS or not ADDRESS.match(address):
            raise AddressError(_("not a valid email address"))
        return address

    def send(self, message: Message) -> None:
        smtp_url = self.setting("ENGINE_SMTP_URL")
        if not smtp_url:
            raise ValueError("ENGINE_SMTP_URL is not set")
        url = urlsplit(smtp_url)
        if url.scheme not in ("smtp", "smtps") or not url.hostname:
            raise ValueError(f"ENGINE_SMTP_URL must look like smtp://user:password@host:port, not {url.scheme}://…")
        mail = EmailMessage()
        mail["From"] = self.setting("ENGINE_MAIL_FROM", "engine@localhost")
        mail["To"] = message.target
        mail["Subject"] = message.text[:200]
        lines = message.summary_lines()  # the record's summary as the recipient may read it
        mail.set_content(message.text + ("\n\n" + "\n".join(lines) if lines else "")
                         + (f"\n\n{message.url}" if message.url else ""))
        mail["Content-Language"] = message.language.replace("_", "-")  # zh-CN, en (after the content)
        if url.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=TIMEOUT,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(url.hostname, url.port or 25, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if url.scheme == "smtp" and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
            if url.username:
                client.login(unquote(url.username), unquote(url.password or ""))
            client.send_message(mail)
