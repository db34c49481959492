"""One `transitions.Machine` per workflow definition, shared by every record.

Records are never registered with the machine (no `add_model`): a tiny adapter holding
the record's stage is passed to `machine.events[name].trigger(adapter, guard=...)`.
The machine decides whether the transition exists from that stage and runs its guard;
the service owns locking, writing and history (the library does not roll back).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from transitions import Machine, MachineError

from engine.definitions.model import WorkflowDef


@dataclass
class StageAdapter:
    stage: str


def _guard(event) -> bool:
    check: Callable[[], bool] = event.kwargs["guard"]
    return bool(check())


def build_machine(workflow: WorkflowDef) -> Machine:
    open_stages = [s.name for s in workflow.stages if not s.final]
    specs = [
        {
            "trigger": t.name,
            "source": open_stages if "*" in t.sources else list(t.sources),
            "dest": t.to,
            "conditions": [_guard],
        }
        for t in workflow.transitions
    ]
    return Machine(model=None, states=list(workflow.stage_names), transitions=specs, initial=None,
                   auto_transitions=False, send_event=True, model_attribute="stage")


def sources_of(machine: Machine, name: str, stage: str) -> bool:
    """Whether transition `name` leaves `stage` at all (before any guard)."""
    return bool(machine.get_transitions(trigger=name, source=stage))


def fire(machine: Machine, name: str, stage: str, guard: Callable[[], bool]) -> str | None:
    """The destination stage if the transition may fire now, None if its guard says no.
    Raises MachineError when the transition does not leave this stage."""
    adapter = StageAdapter(stage)
    if not machine.events[name].trigger(adapter, guard=guard):
        return None
    return adapter.stage


__all__ = ["MachineError", "StageAdapter", "build_machine", "fire", "sources_of"]
