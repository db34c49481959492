"""Workflows: the stage machine (transitions library), approvals, tasks."""
