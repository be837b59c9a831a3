import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
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

class MeetingHeld(_message.Message):
    __slots__ = ("meeting_id", "held_at", "quarter", "members", "present", "quorate")
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    PRESENT_FIELD_NUMBER: _ClassVar[int]
    QUORATE_FIELD_NUMBER: _ClassVar[int]
    meeting_id: str
    held_at: _timestamp_pb2.Timestamp
    quarter: str
    members: int
    present: int
    quorate: bool
    def __init__(self, meeting_id: _Optional[str] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., quarter: _Optional[str] = ..., members: _Optional[int] = ..., present: _Optional[int] = ..., quorate: _Optional[bool] = ...) -> None: ...

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

class ProtocolSigned(_message.Message):
    __slots__ = ("protocol_id", "meeting_id", "supersedes_protocol_id", "key_id", "digest", "signed_at")
    PROTOCOL_ID_FIELD_NUMBER: _ClassVar[int]
    MEETING_ID_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDES_PROTOCOL_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    protocol_id: str
    meeting_id: str
    supersedes_protocol_id: str
    key_id: str
    digest: str
    signed_at: _timestamp_pb2.Timestamp
    def __init__(self, protocol_id: _Optional[str] = ..., meeting_id: _Optional[str] = ..., supersedes_protocol_id: _Optional[str] = ..., key_id: _Optional[str] = ..., digest: _Optional[str] = ..., signed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NapMeasureUpdated(_message.Message):
    __slots__ = ("measure_id", "number", "status", "executing_bodies", "deadline", "updated_at", "overdue")
    MEASURE_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXECUTING_BODIES_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    measure_id: str
    number: str
    status: str
    executing_bodies: _containers.RepeatedScalarFieldContainer[str]
    deadline: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    overdue: bool
    def __init__(self, measure_id: _Optional[str] = ..., number: _Optional[str] = ..., status: _Optional[str] = ..., executing_bodies: _Optional[_Iterable[str]] = ..., deadline: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., overdue: _Optional[bool] = ...) -> None: ...

class QuarterWithoutMeeting(_message.Message):
    __slots__ = ("quarter", "days_left", "warning_weeks", "warned_at")
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    DAYS_LEFT_FIELD_NUMBER: _ClassVar[int]
    WARNING_WEEKS_FIELD_NUMBER: _ClassVar[int]
    WARNED_AT_FIELD_NUMBER: _ClassVar[int]
    quarter: str
    days_left: int
    warning_weeks: int
    warned_at: _timestamp_pb2.Timestamp
    def __init__(self, quarter: _Optional[str] = ..., days_left: _Optional[int] = ..., warning_weeks: _Optional[int] = ..., warned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
