from hotline_common.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    pass
