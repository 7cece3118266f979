"""Provides which assessments a query of the store covers (Filters): framework, missions, periods, current or
every revision, as a portable SQL condition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """Which assessments a query covers."""

    framework: str | None = None
    """Framework id."""
    missions: tuple[str, ...] = ()
    """Parts of mission names, any of which matches (case-insensitive)."""
    since: str | None = None
    """First day: periods that end on or after it."""
    until: str | None = None
    """Last day: periods that start on or before it."""
    current: bool = True
    """Only the current revision of each assessment (False: history too)."""

    def where(self, alias: str = "a") -> tuple[str, list]:
        """A portable SQL condition over the assessments table, and its parameters."""
        parts, params = [], []
        if self.current:
            parts.append(f"{alias}.is_current = 1")
        if self.framework:
            parts.append(f"{alias}.framework_id = ?")
            params.append(self.framework)
        if self.missions:
            parts.append("(" + " OR ".join(f"LOWER({alias}.mission) LIKE ? ESCAPE '\\'" for _ in self.missions) + ")")
            params += ["%" + _like(m.lower()) + "%" for m in self.missions]
        if self.since:
            parts.append(f"{alias}.period_end >= ?")
            params.append(self.since)
        if self.until:
            parts.append(f"{alias}.period_start <= ?")
            params.append(self.until)
        return (" AND ".join(parts) or "1 = 1"), params


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
