import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceEntry(_message.Message):
    __slots__ = ("id", "organisation_id", "organisation_name", "name", "service_type", "region", "city", "address", "languages", "phone", "opening_hours")
    ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_NAME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    OPENING_HOURS_FIELD_NUMBER: _ClassVar[int]
    id: str
    organisation_id: str
    organisation_name: str
    name: str
    service_type: str
    region: str
    city: str
    address: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    phone: str
    opening_hours: str
    def __init__(self, id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., organisation_name: _Optional[str] = ..., name: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., city: _Optional[str] = ..., address: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., phone: _Optional[str] = ..., opening_hours: _Optional[str] = ...) -> None: ...

class SearchServicesRequest(_message.Message):
    __slots__ = ("service_type", "region", "language", "text", "limit")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    service_type: str
    region: str
    language: str
    text: str
    limit: int
    def __init__(self, service_type: _Optional[str] = ..., region: _Optional[str] = ..., language: _Optional[str] = ..., text: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class SearchServicesResponse(_message.Message):
    __slots__ = ("services",)
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[ServiceEntry]
    def __init__(self, services: _Optional[_Iterable[_Union[ServiceEntry, _Mapping]]] = ...) -> None: ...

class CreateReferralRequest(_message.Message):
    __slots__ = ("contact_id", "service_id", "reason", "urgency")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    service_id: str
    reason: str
    urgency: str
    def __init__(self, contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., reason: _Optional[str] = ..., urgency: _Optional[str] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class Referral(_message.Message):
    __slots__ = ("id", "contact_id", "service_id", "organisation_id", "service_type", "reason", "urgency", "status", "created_at", "region")
    ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    id: str
    contact_id: str
    service_id: str
    organisation_id: str
    service_type: str
    reason: str
    urgency: str
    status: str
    created_at: _timestamp_pb2.Timestamp
    region: str
    def __init__(self, id: _Optional[str] = ..., contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., service_type: _Optional[str] = ..., reason: _Optional[str] = ..., urgency: _Optional[str] = ..., status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., region: _Optional[str] = ...) -> None: ...
