"""Typed domain errors of the workflows and pending changes.

Each error has a stable `code` that the chat layer maps to a Thai message (see
`labels.ERROR_MESSAGES`); `detail` carries the English explanation for logs and tests.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """Base class: the request cannot be done as asked."""

    code = "workflow_error"

    def __init__(self, detail: str = "", **data: object) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.data = data


class NotFound(WorkflowError):
    """No such request, producer or pending change."""

    code = "not_found"


class NotAllowed(WorkflowError):
    """The actor's role may not do this (a producer on a committee step, central admin...)."""

    code = "not_allowed"


class OwnRequest(NotAllowed):
    """The actor filed this request (or proposal) and may not decide on it."""

    code = "own_request"


class OutOfArea(NotAllowed):
    """The actor is an officer, but of another district or province."""

    code = "out_of_area"


class StaleStep(WorkflowError):
    """The request moved on since the actor saw it (another officer acted first)."""

    code = "stale_step"


class AlreadyDone(StaleStep):
    """The request (or pending change) is already closed: done, rejected or cancelled."""

    code = "already_done"


class InvalidTransition(WorkflowError):
    """The action does not exist at the request's current step."""

    code = "invalid_transition"


class ValidationError(WorkflowError):
    """An argument is missing or wrong (meeting date, reason, area codes, field value)."""

    code = "validation"
