"""In-process FIFO of jobs waiting for a worker."""

from __future__ import annotations


class JobQueue:
    """Jobs are handed out oldest first. Workers poll next_job()."""

    def __init__(self) -> None:
        self._jobs: list[dict] = []

    def push(self, job: dict) -> None:
        self._jobs.append(job)

    def __len__(self) -> int:
        return len(self._jobs)

    def next_job(self) -> dict | None:
        """The oldest pending job, or None when nothing is waiting."""
        return self._jobs.pop(0)
