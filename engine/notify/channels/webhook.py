"""Every notification POSTed as JSON (`Message.payload`) to ENGINE_WEBHOOK_URL; any 2xx
answer is a delivery, anything else is retried."""
from __future__ import annotations

from engine.notify.channel import Channel, Message, post_json, register


@register
class Webhook(Channel):
    name = "webhook"
    settings = ("ENGINE_WEBHOOK_URL",)

    @property
    def ready(self) -> bool:
        return bool(self.setting("ENGINE_WEBHOOK_URL"))

    def targets(self, address: str | None, roles: frozenset[str] = frozenset()) -> list[str]:
        return [self.setting("ENGINE_WEBHOOK_URL")]

    def send(self, message: Message) -> None:
        post_json(message.target, message.payload())
