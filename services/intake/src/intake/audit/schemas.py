from datetime import datetime

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    id: str
    seq: int
    at: datetime
    actor_id: str
    actor_role: str
    action: str
    record_type: str
    record_id: str
    interface: str
    reason: str
