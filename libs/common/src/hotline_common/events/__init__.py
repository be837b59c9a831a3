"""Events over NATS JetStream: streams, transactional outbox + relay, durable consumers with an inbox."""
