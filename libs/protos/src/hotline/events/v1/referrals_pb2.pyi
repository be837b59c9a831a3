import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ReferralCreated(_message.Message):
    __slots__ = ("referral_id", "contact_id", "service_id", "organisation_id", "service_type", "region", "urgency", "created_at", "status", "acknowledgement_due_at", "consent_given", "caller_id")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_GIVEN_FIELD_NUMBER: _ClassVar[int]
    CALLER_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    contact_id: str
    service_id: str
    organisation_id: str
    service_type: str
    region: str
    urgency: str
    created_at: _timestamp_pb2.Timestamp
    status: str
    acknowledgement_due_at: _timestamp_pb2.Timestamp
    consent_given: bool
    caller_id: str
    def __init__(self, referral_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., service_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., urgency: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[str] = ..., acknowledgement_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_given: _Optional[bool] = ..., caller_id: _Optional[str] = ...) -> None: ...

class ReferralStatusChanged(_message.Message):
    __slots__ = ("referral_id", "contact_id", "organisation_id", "service_type", "region", "from_status", "to_status", "changed_at", "reason_code", "actor_kind", "created_at", "caller_id")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_KIND_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CALLER_ID_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    contact_id: str
    organisation_id: str
    service_type: str
    region: str
    from_status: str
    to_status: str
    changed_at: _timestamp_pb2.Timestamp
    reason_code: str
    actor_kind: str
    created_at: _timestamp_pb2.Timestamp
    caller_id: str
    def __init__(self, referral_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., from_status: _Optional[str] = ..., to_status: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason_code: _Optional[str] = ..., actor_kind: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., caller_id: _Optional[str] = ...) -> None: ...

class ReferralOverdue(_message.Message):
    __slots__ = ("referral_id", "contact_id", "organisation_id", "urgency", "acknowledgement_due_at", "escalated_at", "service_type", "region")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    ESCALATED_AT_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    contact_id: str
    organisation_id: str
    urgency: str
    acknowledgement_due_at: _timestamp_pb2.Timestamp
    escalated_at: _timestamp_pb2.Timestamp
    service_type: str
    region: str
    def __init__(self, referral_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., urgency: _Optional[str] = ..., acknowledgement_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., escalated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ...) -> None: ...

class ConsentRevoked(_message.Message):
    __slots__ = ("referral_id", "consent_id", "organisation_id", "revoked_at")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    consent_id: str
    organisation_id: str
    revoked_at: _timestamp_pb2.Timestamp
    def __init__(self, referral_id: _Optional[str] = ..., consent_id: _Optional[str] = ..., organisation_id: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PartnerReferralNotice(_message.Message):
    __slots__ = ("referral_id", "reference", "organisation_id", "status", "from_status", "urgency", "service_type", "region", "occurred_at", "acknowledgement_due_at", "consent_active", "consented_fields", "reason_code")
    REFERRAL_ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    URGENCY_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    ACKNOWLEDGEMENT_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    CONSENT_ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CONSENTED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    referral_id: str
    reference: str
    organisation_id: str
    status: str
    from_status: str
    urgency: str
    service_type: str
    region: str
    occurred_at: _timestamp_pb2.Timestamp
    acknowledgement_due_at: _timestamp_pb2.Timestamp
    consent_active: bool
    consented_fields: _containers.RepeatedScalarFieldContainer[str]
    reason_code: str
    def __init__(self, referral_id: _Optional[str] = ..., reference: _Optional[str] = ..., organisation_id: _Optional[str] = ..., status: _Optional[str] = ..., from_status: _Optional[str] = ..., urgency: _Optional[str] = ..., service_type: _Optional[str] = ..., region: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledgement_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., consent_active: _Optional[bool] = ..., consented_fields: _Optional[_Iterable[str]] = ..., reason_code: _Optional[str] = ...) -> None: ...
