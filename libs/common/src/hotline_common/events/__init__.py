"""Events over NATS JetStream: streams, transactional outbox + relay, durable consumers with an inbox,
and gap checks that replay events the broker lost from the producer's outbox."""
