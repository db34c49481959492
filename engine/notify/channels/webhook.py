"""Every notification POSTed as JSON (`Message.payload`) to ENGINE_WEBHOOK_URL; any 2xx
answer is a delivery, anything else is retried."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from engine.notify.channel import Channel, Message, register

TIMEOUT = 10  # seconds for one HTTP exchange


@register
class Webhook(Channel):
    name = "webhook"
    settings = ("ENGINE_WEBHOOK_URL",)

    @property
    def ready(self) -> bool:
        return bool(self.setting("ENGINE_WEBHOOK_URL"))

    def targets(self, address: str | None) -> list[str]:
        return [self.setting("ENGINE_WEBHOOK_URL")]

    def send(self, message: Message) -> None:
        post_json(message.target, message.payload())


def post_json(url: str, payload: dict) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - admin-configured URL
            if not 200 <= response.status < 300:
                raise OSError(f"HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        exc.close()
        raise OSError(f"HTTP {exc.code}") from None
