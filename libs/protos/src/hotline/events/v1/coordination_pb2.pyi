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
