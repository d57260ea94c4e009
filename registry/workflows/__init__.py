"""Committee workflows: closure (producer present / gone) and relocation, as state tables.

LINE-free domain logic: functions take a Session, never commit, raise `WorkflowError`
subclasses and return the notices to send. See docs/WORKFLOWS.md.
"""

from registry.workflows.actions import (Outcome, act, available_actions, reject, start_absent_closure,
                                        submit_closure, submit_relocation, withdraw)
from registry.workflows.errors import (AlreadyDone, InvalidTransition, NotAllowed, NotFound,
                                       OutOfArea, OwnRequest, StaleStep, ValidationError,
                                       WorkflowError)
from registry.workflows.labels import (ACTION_LABELS, ERROR_MESSAGES, EVENT_LABELS, KIND_LABELS,
                                       STEP_LABELS)
from registry.workflows.machine import MACHINES, Actor, Machine, Notice, Transition
from registry.workflows.queries import (PendingPage, RequestSummary, RequestView, overdue_requests,
                                        pending_page, pending_requests, request_status)

__all__ = [
    "ACTION_LABELS", "ERROR_MESSAGES", "EVENT_LABELS", "KIND_LABELS", "MACHINES", "STEP_LABELS",
    "Actor", "AlreadyDone", "InvalidTransition", "Machine", "NotAllowed", "NotFound", "Notice",
    "OutOfArea", "Outcome", "OwnRequest", "PendingPage", "RequestSummary", "RequestView", "StaleStep",
    "Transition", "ValidationError", "WorkflowError", "act", "available_actions",
    "overdue_requests", "pending_page", "pending_requests", "reject", "request_status", "start_absent_closure",
    "submit_closure", "submit_relocation", "withdraw",
]
