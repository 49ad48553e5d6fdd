"""How a record that breaks the contract is described to the person who sent it."""

from __future__ import annotations

from pydantic import ValidationError


def describe(exc: ValidationError, limit: int = 3) -> str:
    """``field: problem`` for the first ``limit`` problems, so the sender can fix them all at once."""
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)
