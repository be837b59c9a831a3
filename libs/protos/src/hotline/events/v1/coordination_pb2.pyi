import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MeetingScheduled(_message.Message):
    __slots__ = ("meeting_id", "scheduled_for", "quarter", "online", "agenda_items")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    AGENDA_ITEMS_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    scheduled_for: _timestamp_pb2.Timestamp
    quarter: str
    online: bool
    agenda_items: int
    def __init__(self, meeting_id: _Optional[str] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., quarter: _Optional[str] = ..., online: _Optional[bool] = ..., agenda_items: _Optional[int] = ...) -> None: ...

class MeetingAgreed(_message.Message):
    __slots__ = ("meeting_id", "scheduled_for", "quarter", "online", "agenda_items", "members", "quorum_needed")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    AGENDA_ITEMS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    QUORUM_NEEDED_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    scheduled_for: _timestamp_pb2.Timestamp
    quarter: str
    online: bool
    agenda_items: int
    members: int
    quorum_needed: int
    def __init__(self, meeting_id: _Optional[str] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., quarter: _Optional[str] = ..., online: _Optional[bool] = ..., agenda_items: _Optional[int] = ..., members: _Optional[int] = ..., quorum_needed: _Optional[int] = ...) -> None: ...

class DecisionAdopted(_message.Message):
    __slots__ = ("meeting_id", "proposal_id", "agenda_item", "votes_for", "votes_against", "abstentions", "members", "present", "decided_by_head", "decided_at")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    PROPOSAL_ID_FIELD_NUMBER: _ClassVar[int]
    AGENDA_ITEM_FIELD_NUMBER: _ClassVar[int]
    VOTES_FOR_FIELD_NUMBER: _ClassVar[int]
    VOTES_AGAINST_FIELD_NUMBER: _ClassVar[int]
    ABSTENTIONS_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_HEAD_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    proposal_id: str
    agenda_item: int
    votes_for: int
    votes_against: int
    abstentions: int
    members: int
    present: int
    decided_by_head: bool
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, meeting_id: _Optional[str] = ..., proposal_id: _Optional[str] = ..., agenda_item: _Optional[int] = ..., votes_for: _Optional[int] = ..., votes_against: _Optional[int] = ..., abstentions: _Optional[int] = ..., members: _Optional[int] = ..., present: _Optional[int] = ..., decided_by_head: _Optional[bool] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
