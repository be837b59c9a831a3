import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StatisticsRequest(_message.Message):
    __slots__ = ("from_time", "to_time")
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    def __init__(self, from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Count(_message.Message):
    __slots__ = ("key", "count", "suppressed")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    key: str
    count: int
    suppressed: bool
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ..., suppressed: _Optional[bool] = ...) -> None: ...

class Statistics(_message.Message):
    __slots__ = ("calls_total", "calls_by_line", "calls_by_caller_role", "calls_by_purpose", "referrals_total", "referrals_by_service_type", "meetings_total", "newest_event_at", "suppression_k", "calls_total_suppressed", "quarters")
    CALLS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    CALLS_BY_LINE_FIELD_NUMBER: _ClassVar[int]
    CALLS_BY_CALLER_ROLE_FIELD_NUMBER: _ClassVar[int]
    CALLS_BY_PURPOSE_FIELD_NUMBER: _ClassVar[int]
    REFERRALS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    REFERRALS_BY_SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    MEETINGS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    NEWEST_EVENT_AT_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSION_K_FIELD_NUMBER: _ClassVar[int]
    CALLS_TOTAL_SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    QUARTERS_FIELD_NUMBER: _ClassVar[int]
    calls_total: int
    calls_by_line: _containers.RepeatedCompositeFieldContainer[Count]
    calls_by_caller_role: _containers.RepeatedCompositeFieldContainer[Count]
    calls_by_purpose: _containers.RepeatedCompositeFieldContainer[Count]
    referrals_total: int
    referrals_by_service_type: _containers.RepeatedCompositeFieldContainer[Count]
    meetings_total: int
    newest_event_at: _timestamp_pb2.Timestamp
    suppression_k: int
    calls_total_suppressed: bool
    quarters: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, calls_total: _Optional[int] = ..., calls_by_line: _Optional[_Iterable[_Union[Count, _Mapping]]] = ..., calls_by_caller_role: _Optional[_Iterable[_Union[Count, _Mapping]]] = ..., calls_by_purpose: _Optional[_Iterable[_Union[Count, _Mapping]]] = ..., referrals_total: _Optional[int] = ..., referrals_by_service_type: _Optional[_Iterable[_Union[Count, _Mapping]]] = ..., meetings_total: _Optional[int] = ..., newest_event_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., suppression_k: _Optional[int] = ..., calls_total_suppressed: _Optional[bool] = ..., quarters: _Optional[_Iterable[str]] = ...) -> None: ...

class TableRequest(_message.Message):
    __slots__ = ("from_time", "to_time", "subject", "dimension", "filters")
    class FiltersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FROM_TIME_FIELD_NUMBER: _ClassVar[int]
    TO_TIME_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    from_time: _timestamp_pb2.Timestamp
    to_time: _timestamp_pb2.Timestamp
    subject: str
    dimension: str
    filters: _containers.ScalarMap[str, str]
    def __init__(self, from_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., to_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subject: _Optional[str] = ..., dimension: _Optional[str] = ..., filters: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Cell(_message.Message):
    __slots__ = ("key", "count", "suppressed")
    KEY_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    key: str
    count: int
    suppressed: bool
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ..., suppressed: _Optional[bool] = ...) -> None: ...

class Table(_message.Message):
    __slots__ = ("name", "dimension", "cells", "total", "total_suppressed", "suppressed", "suppression_k", "newest_event_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    CELLS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSED_FIELD_NUMBER: _ClassVar[int]
    SUPPRESSION_K_FIELD_NUMBER: _ClassVar[int]
    NEWEST_EVENT_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    dimension: str
    cells: _containers.RepeatedCompositeFieldContainer[Cell]
    total: int
    total_suppressed: bool
    suppressed: int
    suppression_k: int
    newest_event_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., dimension: _Optional[str] = ..., cells: _Optional[_Iterable[_Union[Cell, _Mapping]]] = ..., total: _Optional[int] = ..., total_suppressed: _Optional[bool] = ..., suppressed: _Optional[int] = ..., suppression_k: _Optional[int] = ..., newest_event_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
