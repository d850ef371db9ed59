"""The error an import raises: every problem found, not just the first, so a file is fixed in one go."""

from __future__ import annotations


class ImportProblems(ValueError):
    """``problems`` holds one message per bad row or feature; at most 50 are shown in the text."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        shown = problems[:50]
        more = f"\n  … and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        super().__init__(f"{source}: {len(problems)} problem(s):\n  " + "\n  ".join(shown) + more)
