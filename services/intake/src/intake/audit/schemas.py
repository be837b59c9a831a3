from datetime import datetime

from pydantic import BaseModel, computed_field

# Reads of a record the reader had no link to carry this suffix (inside the hashed action, so the
# flag cannot be removed without breaking the chain).
BREAK_GLASS_SUFFIX = ".break_glass"


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

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form; mypy cannot see it
    @property
    def break_glass(self) -> bool:
        return self.action.endswith(BREAK_GLASS_SUFFIX)
