import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReplayRequest(_message.Message):
    __slots__ = ("after_seq", "up_to_seq", "subjects", "limit")
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    UP_TO_SEQ_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    after_seq: int
    up_to_seq: int
    subjects: _containers.RepeatedScalarFieldContainer[str]
    limit: int
    def __init__(self, after_seq: _Optional[int] = ..., up_to_seq: _Optional[int] = ..., subjects: _Optional[_Iterable[str]] = ..., limit: _Optional[int] = ...) -> None: ...

class StoredEvent(_message.Message):
    __slots__ = ("seq", "event_id", "subject", "event_type", "payload", "occurred_at", "trace_headers")
    class TraceHeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SEQ_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    TRACE_HEADERS_FIELD_NUMBER: _ClassVar[int]
    seq: int
    event_id: str
    subject: str
    event_type: str
    payload: bytes
    occurred_at: _timestamp_pb2.Timestamp
    trace_headers: _containers.ScalarMap[str, str]
    def __init__(self, seq: _Optional[int] = ..., event_id: _Optional[str] = ..., subject: _Optional[str] = ..., event_type: _Optional[str] = ..., payload: _Optional[bytes] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., trace_headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ReplayResponse(_message.Message):
    __slots__ = ("events", "covered_up_to_seq", "latest_seq")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    COVERED_UP_TO_SEQ_FIELD_NUMBER: _ClassVar[int]
    LATEST_SEQ_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[StoredEvent]
    covered_up_to_seq: int
    latest_seq: int
    def __init__(self, events: _Optional[_Iterable[_Union[StoredEvent, _Mapping]]] = ..., covered_up_to_seq: _Optional[int] = ..., latest_seq: _Optional[int] = ...) -> None: ...
