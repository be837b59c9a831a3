"""The IntakeService servicer: a thin adapter over the contact domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from hotline.intake.v1 import intake_pb2, intake_pb2_grpc
from hotline_common.grpc_server import Registration
from intake.contact import rpc as contact_rpc

if TYPE_CHECKING:
    from intake.runtime import IntakeRuntime


class IntakeServicer(intake_pb2_grpc.IntakeServiceServicer):
    def __init__(self, runtime: IntakeRuntime):
        self.runtime = runtime

    async def GetContact(
        self,
        request: intake_pb2.GetContactRequest,
        context: grpc.aio.ServicerContext[intake_pb2.GetContactRequest, intake_pb2.ContactSummary],
    ) -> intake_pb2.ContactSummary:
        return await contact_rpc.get_contact(self.runtime, request, context)


def registration(runtime: IntakeRuntime) -> Registration:
    return (
        intake_pb2_grpc.add_IntakeServiceServicer_to_server,
        IntakeServicer(runtime),
        "hotline.intake.v1.IntakeService",
    )
