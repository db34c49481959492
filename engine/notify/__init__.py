"""Notifications, from the action that causes them to every channel that carries them.

- outbox.py: `notify` writes one notification per person in the caller's transaction;
  its id is the event id every channel carries.
- rendering.py: the text, made when read, in the reader's language; a reminder's text per
  reader, obeying the fields hidden from them.
- inbox.py: the in-app inbox (the bell, /notifications, /api/notifications).
- delivery.py: the scheduler pass plans a delivery per channel target and sends what is
  due, at least once, with retries and back-off.
- channel.py: the `Channel` interface and registry; channels/: one module per channel
  (email, webhook).
- addresses.py: each user's address per channel, checked by the channel.
"""
