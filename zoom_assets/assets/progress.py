"""What a step has written so far, so that a failure can say what is done and what is left."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass
class Progress:
    """The days a step writes, in order, and how many of them are written."""

    days: Sequence[date]
    written: int = 0

    def wrote(self, days: Sequence[date]) -> None:
        """The next `days` are written (committed)."""
        self.written += len(days)

    def summary(self) -> str:
        """One sentence for a failure message."""
        done, left = self.days[: self.written], self.days[self.written :]
        return f"Days written by this step: {_span(done)}; still to write: {_span(left)}."

    def metadata(self) -> dict[str, Any]:
        """The same, for the failure's metadata."""
        left = self.days[self.written :]
        return {
            "days_written": self.written,
            "days_left": len(left),
            "first_day_left": left[0].isoformat() if left else None,
        }


def _span(days: Sequence[date]) -> str:
    if not days:
        return "none"
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0]}..{days[-1]} ({len(days)} days)"
