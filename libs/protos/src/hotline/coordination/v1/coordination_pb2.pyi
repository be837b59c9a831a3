import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListMembersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Member(_message.Message):
    __slots__ = ("id", "full_name", "body", "body_kind", "is_head")
    ID_FIELD_NUMBER: _ClassVar[int]
    FULL_NAME_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    BODY_KIND_FIELD_NUMBER: _ClassVar[int]
    IS_HEAD_FIELD_NUMBER: _ClassVar[int]
    id: str
    full_name: str
    body: str
    body_kind: str
    is_head: bool
    def __init__(self, id: _Optional[str] = ..., full_name: _Optional[str] = ..., body: _Optional[str] = ..., body_kind: _Optional[str] = ..., is_head: _Optional[bool] = ...) -> None: ...

class ListMembersResponse(_message.Message):
    __slots__ = ("members",)
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    members: _containers.RepeatedCompositeFieldContainer[Member]
    def __init__(self, members: _Optional[_Iterable[_Union[Member, _Mapping]]] = ...) -> None: ...

class ScheduleMeetingRequest(_message.Message):
    __slots__ = ("scheduled_for", "place", "online", "agenda")
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    AGENDA_FIELD_NUMBER: _ClassVar[int]
    scheduled_for: _timestamp_pb2.Timestamp
    place: str
    online: bool
    agenda: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., place: _Optional[str] = ..., online: _Optional[bool] = ..., agenda: _Optional[_Iterable[str]] = ...) -> None: ...

class Meeting(_message.Message):
    __slots__ = ("id", "scheduled_for", "place", "online", "agenda", "quarter")
    ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FOR_FIELD_NUMBER: _ClassVar[int]
    PLACE_FIELD_NUMBER: _ClassVar[int]
    ONLINE_FIELD_NUMBER: _ClassVar[int]
    AGENDA_FIELD_NUMBER: _ClassVar[int]
    QUARTER_FIELD_NUMBER: _ClassVar[int]
    id: str
    scheduled_for: _timestamp_pb2.Timestamp
    place: str
    online: bool
    agenda: _containers.RepeatedScalarFieldContainer[str]
    quarter: str
    def __init__(self, id: _Optional[str] = ..., scheduled_for: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., place: _Optional[str] = ..., online: _Optional[bool] = ..., agenda: _Optional[_Iterable[str]] = ..., quarter: _Optional[str] = ...) -> None: ...
