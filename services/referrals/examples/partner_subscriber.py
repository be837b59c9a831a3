"""A partner agency's subscriber: prints the notices the hotline sends about referrals to its
organisation, and fetches each referral (the consented fields, if any) through the partner API.

    python services/referrals/examples/partner_subscriber.py \
        --nats nats://nats.hotline.example:4222 --org <organisation id> \
        --user partner-<organisation id> --password <from `referrals nats-credentials`> \
        [--api https://referrals.hotline.example --token <a partner token>] [--namespace <EVENTS_NAMESPACE>]

Notices carry codes and the reference only; personal values come only from the API, and only while
the caller's consent is in force. The subscription is plain core NATS: run it continuously, and after
downtime catch up with GET /api/v1/partner/referrals."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

import httpx
import nats

from hotline.events.v1.referrals_pb2 import PartnerReferralNotice


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nats", default="nats://127.0.0.1:4222")
    parser.add_argument("--org", required=True, help="your organisation id in the hotline's directory")
    parser.add_argument("--user", help="default: partner-<org>")
    parser.add_argument("--password", required=True)
    parser.add_argument("--namespace", default="", help="the deployment's EVENTS_NAMESPACE, if any")
    parser.add_argument("--api", help="referrals' base URL, to fetch each referral")
    parser.add_argument("--token", help="a bearer token of a partner user of your organisation")
    args = parser.parse_args()

    subject = f"referrals.partner.{args.org}.>"
    if args.namespace:
        subject = f"{args.namespace}.{subject}"
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)

    async def on_error(exc: Exception) -> None:
        print(f"nats: {exc}")  # e.g. a permissions violation: these credentials are for another organisation

    nc = await nats.connect(
        args.nats,
        user=args.user or f"partner-{args.org}",
        password=args.password,
        error_cb=on_error,
        max_reconnect_attempts=-1,
    )
    api = (
        httpx.AsyncClient(base_url=args.api, headers={"Authorization": f"Bearer {args.token}"}, timeout=10)
        if args.api and args.token
        else None
    )

    async def on_notice(msg) -> None:
        notice = PartnerReferralNotice.FromString(msg.data)
        event = msg.subject.rsplit(".", 2)[-2]
        print(
            f"{event}: {notice.reference} {notice.from_status or '-'} -> {notice.status} "
            f"({notice.urgency}, {notice.service_type}, consent: {list(notice.consented_fields) or 'none'})"
        )
        if api is not None:
            answer = await api.get(f"/api/v1/partner/referrals/{notice.referral_id}")
            if answer.status_code == 200:
                body = answer.json()
                print("   ", json.dumps({"need": body["need"], "shared": body["shared"]}, ensure_ascii=False))

    await nc.subscribe(subject, cb=on_notice)
    print(f"listening on {subject}; Ctrl-C stops")
    await stop.wait()
    await nc.drain()
    if api is not None:
        await api.aclose()


if __name__ == "__main__":
    asyncio.run(main())
