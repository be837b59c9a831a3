from pydantic import BaseModel


class MemberOut(BaseModel):
    id: str
    full_name: str
    body: str
    body_kind: str
    is_head: bool
