"""Who may do what on NATS. Each service has its own user, allowed to publish only its own
subjects, to call the JetStream API of its own stream, of the dead-letter stream and of the
durables it consumes with, and to receive replies on its own inbox prefix. No one else may
publish an `intake.*` event, and no service can subscribe to partners' notices.

devstack writes these into its nats-server config (`make run`, tests); `referrals nats-config`
renders them, with the partners' users, for a deployment's nats-server."""

from __future__ import annotations

from dataclasses import dataclass

from hotline_common.events.catalog import DEAD_LETTER, PRODUCERS, Namespace

# consumer name -> producer, per service: the durables each service reads with.
# tests/test_nats_authorization.py checks this against every service's runtime.
CONSUMERS: dict[str, dict[str, str]] = {
    "intake": {"intake.referral-links": "referrals"},
    "referrals": {},
    "coordination": {},
    "reporting": {
        "reporting.calls": "intake",
        "reporting.referrals": "referrals",
        "reporting.meetings": "coordination",
    },
}

# Key-value buckets (unprefixed name -> the one service that writes it); every service reads them.
# REVOCATIONS: hotline_common.revocation (intake puts ended sessions, every service watches).
BUCKETS: dict[str, str] = {"REVOCATIONS": "intake"}

JS_API = "$JS.API"


def service_user(namespace: Namespace, service: str) -> str:
    """The NATS user of a service; one per namespace so deployments sharing a server stay apart."""
    return f"{namespace.prefix}-{service}" if namespace.prefix else service


def inbox_prefix(user: str) -> str:
    """Replies (JetStream API answers, fetched messages) come to this prefix, which only this user
    may subscribe to: with the shared `_INBOX.>` one service could read what another fetches."""
    return f"_INBOX.{user}"


def kv_bucket(namespace: Namespace, name: str) -> str:
    """A bucket's name, prefixed like the stream names."""
    return f"{namespace.prefix.upper()}_{name}" if namespace.prefix else name


@dataclass(frozen=True)
class Permissions:
    publish: tuple[str, ...]
    subscribe: tuple[str, ...]

    def as_config(self) -> dict[str, dict[str, list[str]]]:
        """The `permissions` map of a nats-server user."""
        return {"publish": {"allow": list(self.publish)}, "subscribe": {"allow": list(self.subscribe)}}


def _own_stream(stream: str) -> list[str]:
    return [f"{JS_API}.STREAM.{action}.{stream}" for action in ("CREATE", "UPDATE", "INFO")]


def _consuming(stream: str, durable: str) -> list[str]:
    # A consumer only creates a producer's stream that is missing (never updates it), then
    # creates, binds and fetches from its own durable and acks what it was given.
    return [
        f"{JS_API}.STREAM.INFO.{stream}",
        f"{JS_API}.STREAM.CREATE.{stream}",
        f"{JS_API}.CONSUMER.CREATE.{stream}.{durable}",
        f"{JS_API}.CONSUMER.CREATE.{stream}.{durable}.>",
        f"{JS_API}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
        f"{JS_API}.CONSUMER.INFO.{stream}.{durable}",
        f"{JS_API}.CONSUMER.MSG.NEXT.{stream}.{durable}",
        f"$JS.ACK.{stream}.{durable}.>",
    ]


def _reading_bucket(bucket: str) -> list[str]:
    stream = f"KV_{bucket}"
    return [
        f"{JS_API}.STREAM.INFO.{stream}",
        f"{JS_API}.STREAM.MSG.GET.{stream}",
        f"{JS_API}.DIRECT.GET.{stream}",
        f"{JS_API}.DIRECT.GET.{stream}.>",
        # Watching a bucket: an ephemeral ordered consumer pushing to this user's inbox.
        f"{JS_API}.CONSUMER.CREATE.{stream}",
        f"{JS_API}.CONSUMER.CREATE.{stream}.>",
        f"{JS_API}.CONSUMER.INFO.{stream}.>",
        f"{JS_API}.CONSUMER.DELETE.{stream}.>",
        f"$JS.FC.{stream}.>",
    ]


def _writing_bucket(bucket: str) -> list[str]:
    return [f"$KV.{bucket}.>", *_own_stream(f"KV_{bucket}")]


def service_permissions(namespace: Namespace, service: str) -> Permissions:
    if service not in PRODUCERS:
        raise ValueError(f"unknown service {service!r}")
    publish = [*namespace.stream_subjects(service), *_own_stream(namespace.stream(service))]
    publish += _own_stream(namespace.stream(DEAD_LETTER))
    for consumer, producer in CONSUMERS[service].items():
        durable = namespace.durable(consumer)
        publish += _consuming(namespace.stream(producer), durable)
        # A poison event is copied to the dead-letter stream under the durable's name.
        publish.append(namespace.subject(f"{DEAD_LETTER}.{durable}"))
    for name, writer in BUCKETS.items():
        bucket = kv_bucket(namespace, name)
        publish += _reading_bucket(bucket)
        if writer == service:
            publish += _writing_bucket(bucket)
    return Permissions(publish=tuple(publish), subscribe=(f"{inbox_prefix(service_user(namespace, service))}.>",))
