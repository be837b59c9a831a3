from hotline_common.settings import ServiceSettings


class CoordinationSettings(ServiceSettings):
    reporting_grpc_target: str
