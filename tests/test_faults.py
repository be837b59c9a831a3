"""Nothing is lost: NATS stopped mid-shift, a consumer killed before its ack, events redelivered."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

import httpx

from hotline_devstack.nats import NatsServer
from hotline_devstack.ports import free_port
from hotline_devstack.testing import PURPOSES, bearer, calls_total, jetstream, record_calls, sign_in, wait_until


def test_calls_recorded_while_nats_is_down_all_arrive_once(system_factory, tmp_path):
    own_nats = NatsServer(tmp_path / "nats", free_port()).start()
    try:
        system = system_factory(nats_url=own_nats.url)
        intake = system.http_url("intake")
        operator = bearer(sign_in(intake, "operator"))
        director = bearer(sign_in(intake, "director"))

        ids = record_calls(intake, operator, 50)
        own_nats.stop()
        # The hotline keeps working: calls are accepted and wait in intake's outbox.
        ids += record_calls(intake, operator, 100, offset=50)
        own_nats.start()
        ids += record_calls(intake, operator, 50, offset=150)
        assert len(set(ids)) == 200

        wait_until(lambda: calls_total(system, director) == 200, timeout=120, interval=0.5, message="200 calls counted")
        stream = f"{system.config.namespace.upper()}_INTAKE"
        messages = jetstream(own_nats.url, lambda js: js.stream_info(stream))
        assert messages.state.messages == 200, "each call published once (duplicates dropped by Nats-Msg-Id)"

        # Settled: the relay has nothing left, and the count stays exact. Reporting acks after its
        # commit, so the last ack can reach the server just after the count shows 200: wait for it.
        def settled() -> bool:
            consumer = jetstream(own_nats.url, lambda js: js.consumer_info(stream, "reporting_calls"))
            return consumer.num_pending == 0 and consumer.num_ack_pending == 0

        wait_until(settled, timeout=90, interval=0.5, message="reporting_calls has nothing pending or unacked")
        assert calls_total(system, director) == 200
    finally:
        own_nats.stop()


def test_consumer_killed_mid_stream_counts_each_call_once(system):
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    director = bearer(sign_in(intake, "director"))

    record_calls(intake, operator, 60)
    # Kill reporting without warning while it works through the backlog, more calls arriving.
    wait_until(
        lambda: calls_total(system, director) > 0, timeout=60, interval=0.5, message="reporting started counting"
    )
    system.stop_service("reporting", sig=signal.SIGKILL)
    record_calls(intake, operator, 60, offset=60)
    system.start_service("reporting")
    system.wait_ready(["reporting"])
    wait_until(lambda: calls_total(system, director) == 120, timeout=120, interval=0.5, message="120 calls counted")
    assert calls_total(system, director) == 120


def test_redelivered_events_change_nothing(system):
    """Replay every event to reporting again (its durables deleted and re-created from the start):
    the numbers stay the same."""
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    director = bearer(sign_in(intake, "director"))
    record_calls(intake, operator, 20)
    wait_until(lambda: calls_total(system, director) == 20, timeout=60, interval=0.5, message="20 calls counted")

    system.stop_service("reporting")
    stream = f"{system.config.namespace.upper()}_INTAKE"
    jetstream(system.nats_url, lambda js: js.delete_consumer(stream, "reporting_calls"))
    system.start_service("reporting")
    system.wait_ready(["reporting"])

    def replayed():
        info = jetstream(system.nats_url, lambda js: js.consumer_info(stream, "reporting_calls"))
        return info.delivered.stream_seq >= 20 and info.num_ack_pending == 0 and info.num_pending == 0

    wait_until(replayed, timeout=30, message="all 20 events delivered again and acked")
    assert calls_total(system, director) == 20


def test_intake_stopped_mid_shift_loses_no_accepted_call(system):
    """SIGTERM while calls arrive: every call intake answered 201 for reaches reporting after restart."""
    intake = system.http_url("intake")
    operator = bearer(sign_in(intake, "operator"))
    director = bearer(sign_in(intake, "director"))
    accepted: list[str] = []

    def one(i: int) -> None:
        try:
            response = httpx.post(
                f"{intake}/api/v1/contacts",
                headers=operator,
                timeout=30,
                json={"line": "152", "caller_role": "third_party", "purpose": PURPOSES[i % len(PURPOSES)]},
            )
        except httpx.HTTPError:
            return  # refused while stopping: the operator's screen keeps the draft and retries
        if response.status_code == 201:
            accepted.append(response.json()["id"])

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(one, i) for i in range(150)]
        wait_until(lambda: len(accepted) >= 30, timeout=30, message="calls flowing")
        system.stop_service("intake", sig=signal.SIGTERM)
        for future in futures:
            future.result()
    system.start_service("intake")
    system.wait_ready(["intake"])
    assert len(accepted) >= 30
    wait_until(
        lambda: calls_total(system, director) == len(accepted),
        timeout=120,
        interval=0.5,
        message=f"all {len(accepted)} accepted calls counted",
    )
