"""Low-code workflow engine: JSON definitions → forms, workflows, reminders, pages and an API.

Importing `engine` (or `engine.definitions`) loads no web framework; the web app is built by
`engine.app.create_app`."""
