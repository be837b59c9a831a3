from hotline_common.settings import ServiceSettings


class ReferralsSettings(ServiceSettings):
    pass
