"""The use cases: each one transaction, used by the pages, the API, the CLI and the scheduler alike."""
