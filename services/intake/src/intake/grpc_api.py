"""The IntakeService servicer: a thin adapter over the contact domain."""

from hotline.intake.v1 import intake_pb2_grpc
from intake.contact import rpc as contact_rpc


class IntakeServicer(intake_pb2_grpc.IntakeServiceServicer):
    def __init__(self, runtime):
        self.runtime = runtime

    async def GetContact(self, request, context):
        return await contact_rpc.get_contact(self.runtime, request, context)


def registration(runtime):
    return (
        intake_pb2_grpc.add_IntakeServiceServicer_to_server,
        IntakeServicer(runtime),
        "hotline.intake.v1.IntakeService",
    )
