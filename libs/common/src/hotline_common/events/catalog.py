"""Stream and subject names. One stream per producing service; subjects
`<context>.<entity>.<event>.v1`; an optional namespace prefixes both (tests, shared brokers)."""

from __future__ import annotations

from dataclasses import dataclass

PRODUCERS = ("intake", "referrals", "coordination", "reporting")
DEAD_LETTER = "deadletter"


@dataclass(frozen=True)
class Namespace:
    prefix: str = ""

    def subject(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def unqualified(self, subject: str) -> str:
        if self.prefix and subject.startswith(self.prefix + "."):
            return subject[len(self.prefix) + 1 :]
        return subject

    def stream(self, producer: str) -> str:
        base = producer.upper()
        return f"{self.prefix.upper()}_{base}" if self.prefix else base

    def stream_subjects(self, producer: str) -> list[str]:
        return [self.subject(f"{producer}.>")]

    def durable(self, consumer: str) -> str:
        return consumer.replace(".", "_")
