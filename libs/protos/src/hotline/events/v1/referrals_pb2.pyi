import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReferralCreated(_message.Message):
    __slots__ = ("referral_id", "contact_id", "service_id", "organisation_id", "service_type", "region", "urgency", "created_at")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    contact_id: str
    service_id: str
    organisation_id: str
    service_type: str
    region: str
    urgency: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, referral_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., urgency: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
