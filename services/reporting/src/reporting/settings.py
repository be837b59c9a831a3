from pydantic import Field

from hotline_common.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    # Smallest count published to analysts, the Coordinator's office and Working Group members
    # (the IOM's CTDC publishes at 11); smaller cells, and cells that would give them away, are hidden.
    suppression_k: int = Field(11, ge=2, le=1000)
    # Generate the last quarter's report automatically once the quarter has ended.
    scheduled_reports: bool = True
    # How often the scheduler looks whether a quarter's report is due.
    report_check_seconds: float = Field(3600.0, gt=0)
