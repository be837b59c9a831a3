import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ServiceEntry(_message.Message):
    __slots__ = ("id", "organisation_id", "organisation_name", "name", "service_type", "region", "city", "address", "languages", "phone", "opening_hours", "email", "website", "latitude", "longitude", "eligibility", "capacity", "free_places", "free_places_updated_at", "hours", "open_now", "organisation_kind")
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
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    WEBSITE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    FREE_PLACES_FIELD_NUMBER: _ClassVar[int]
    FREE_PLACES_UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    OPEN_NOW_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_KIND_FIELD_NUMBER: _ClassVar[int]
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
    email: str
    website: str
    latitude: float
    longitude: float
    eligibility: _containers.RepeatedScalarFieldContainer[str]
    capacity: int
    free_places: int
    free_places_updated_at: _timestamp_pb2.Timestamp
    hours: _containers.RepeatedCompositeFieldContainer[DayHours]
    open_now: bool
    organisation_kind: str
    def __init__(self, id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., organisation_name: _Optional[str] = ..., name: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., city: _Optional[str] = ..., address: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., phone: _Optional[str] = ..., opening_hours: _Optional[str] = ..., email: _Optional[str] = ..., website: _Optional[str] = ..., latitude: _Optional[float] = ..., longitude: _Optional[float] = ..., eligibility: _Optional[_Iterable[str]] = ..., capacity: _Optional[int] = ..., free_places: _Optional[int] = ..., free_places_updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., hours: _Optional[_Iterable[_Union[DayHours, _Mapping]]] = ..., open_now: _Optional[bool] = ..., organisation_kind: _Optional[str] = ...) -> None: ...

class DayHours(_message.Message):
    __slots__ = ("weekday", "spans")
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    SPANS_FIELD_NUMBER: _ClassVar[int]
    weekday: str
    spans: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, weekday: _Optional[str] = ..., spans: _Optional[_Iterable[str]] = ...) -> None: ...

class SearchServicesRequest(_message.Message):
    __slots__ = ("service_type", "region", "language", "text", "limit", "eligibility", "open_now", "city")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    ELIGIBILITY_FIELD_NUMBER: _ClassVar[int]
    OPEN_NOW_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    service_type: str
    region: str
    language: str
    text: str
    limit: int
    eligibility: _containers.RepeatedScalarFieldContainer[str]
    open_now: bool
    city: str
    def __init__(self, service_type: _Optional[str] = ..., region: _Optional[str] = ..., language: _Optional[str] = ..., text: _Optional[str] = ..., limit: _Optional[int] = ..., eligibility: _Optional[_Iterable[str]] = ..., open_now: _Optional[bool] = ..., city: _Optional[str] = ...) -> None: ...

class SearchServicesResponse(_message.Message):
    __slots__ = ("services",)
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    services: _containers.RepeatedCompositeFieldContainer[ServiceEntry]
    def __init__(self, services: _Optional[_Iterable[_Union[ServiceEntry, _Mapping]]] = ...) -> None: ...

class CreateReferralRequest(_message.Message):
    __slots__ = ("contact_id", "service_id", "reason", "urgency", "consent", "caller_id", "draft")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    CALLER_ID_FIELD_NUMBER: _ClassVar[int]
    DRAFT_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    service_id: str
    reason: str
    urgency: str
    consent: Consent
    caller_id: str
    draft: bool
    def __init__(self, contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., reason: _Optional[str] = ..., urgency: _Optional[str] = ..., consent: _Optional[_Union[Consent, _Mapping]] = ..., caller_id: _Optional[str] = ..., draft: _Optional[bool] = ...) -> None: ...

class GetReferralRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class Referral(_message.Message):
    __slots__ = ("id", "contact_id", "service_id", "organisation_id", "service_type", "reason", "urgency", "status", "created_at", "region", "reference", "acknowledgement_due_at", "consent_given", "reason_code", "overdue_escalated_at")
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
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_GIVEN_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
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
    reference: str
    acknowledgement_due_at: _timestamp_pb2.Timestamp
    consent_given: bool
    reason_code: str
    overdue_escalated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., service_type: _Optional[str] = ..., reason: _Optional[str] = ..., urgency: _Optional[str] = ..., status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., region: _Optional[str] = ..., reference: _Optional[str] = ..., acknowledgement_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_given: _Optional[bool] = ..., reason_code: _Optional[str] = ..., overdue_escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Consent(_message.Message):
    __slots__ = ("fields", "purpose", "valid_until", "data")
    class DataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedScalarFieldContainer[str]
    purpose: str
    valid_until: _timestamp_pb2.Timestamp
    data: _containers.ScalarMap[str, str]
    def __init__(self, fields: _Optional[_Iterable[str]] = ..., purpose: _Optional[str] = ..., valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., data: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ChangeStatusRequest(_message.Message):
    __slots__ = ("referral_id", "to_status", "reason_code")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    to_status: str
    reason_code: str
    def __init__(self, referral_id: _Optional[str] = ..., to_status: _Optional[str] = ..., reason_code: _Optional[str] = ...) -> None: ...

class RevokeConsentRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class PartnerReferral(_message.Message):
    __slots__ = ("id", "reference", "status", "urgency", "service_id", "service_type", "region", "need", "created_at", "acknowledgement_due_at", "consent_active", "consented_fields", "consent_purpose", "consent_valid_until", "shared", "notes", "consent_ended")
    class SharedEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NEED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CONSENTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    CONSENT_PURPOSE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ENDED_FIELD_NUMBER: _ClassVar[int]
    id: str
    reference: str
    status: str
    urgency: str
    service_id: str
    service_type: str
    region: str
    need: str
    created_at: _timestamp_pb2.Timestamp
    acknowledgement_due_at: _timestamp_pb2.Timestamp
    consent_active: bool
    consented_fields: _containers.RepeatedScalarFieldContainer[str]
    consent_purpose: str
    consent_valid_until: _timestamp_pb2.Timestamp
    shared: _containers.ScalarMap[str, str]
    notes: _containers.RepeatedCompositeFieldContainer[PartnerNote]
    consent_ended: bool
    def __init__(self, id: _Optional[str] = ..., reference: _Optional[str] = ..., status: _Optional[str] = ..., urgency: _Optional[str] = ..., service_id: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., need: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledgement_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_active: _Optional[bool] = ..., consented_fields: _Optional[_Iterable[str]] = ..., consent_purpose: _Optional[str] = ..., consent_valid_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., shared: _Optional[_Mapping[str, str]] = ..., notes: _Optional[_Iterable[_Union[PartnerNote, _Mapping]]] = ..., consent_ended: _Optional[bool] = ...) -> None: ...

class PartnerNote(_message.Message):
    __slots__ = ("author_kind", "body", "created_at")
    AUTHOR_KIND_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    author_kind: str
    body: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, author_kind: _Optional[str] = ..., body: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PartnerListRequest(_message.Message):
    __slots__ = ("status", "limit")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    status: str
    limit: int
    def __init__(self, status: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class PartnerListResponse(_message.Message):
    __slots__ = ("referrals",)
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[PartnerReferral]
    def __init__(self, referrals: _Optional[_Iterable[_Union[PartnerReferral, _Mapping]]] = ...) -> None: ...

class PartnerNoteRequest(_message.Message):
    __slots__ = ("referral_id", "body")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    body: str
    def __init__(self, referral_id: _Optional[str] = ..., body: _Optional[str] = ...) -> None: ...

class ListOverdueRequest(_message.Message):
    __slots__ = ("limit",)
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    limit: int
    def __init__(self, limit: _Optional[int] = ...) -> None: ...

class ReferralList(_message.Message):
    __slots__ = ("referrals",)
    REFERRALS_FIELD_NUMBER: _ClassVar[int]
    referrals: _containers.RepeatedCompositeFieldContainer[Referral]
    def __init__(self, referrals: _Optional[_Iterable[_Union[Referral, _Mapping]]] = ...) -> None: ...

class IssueLinkRequest(_message.Message):
    __slots__ = ("referral_id",)
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    def __init__(self, referral_id: _Optional[str] = ...) -> None: ...

class OneTimeLink(_message.Message):
    __slots__ = ("url", "expires_at")
    URL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    url: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, url: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
