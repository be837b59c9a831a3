import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ContactRecorded(_message.Message):
    __slots__ = ("contact_id", "caller_id", "line", "caller_role", "purpose", "started_at", "recorded_at", "operator_id", "ended_at", "duration_seconds", "caller_sex", "caller_age_group", "caller_citizenship", "caller_country", "caller_region", "caller_language", "motive", "destination_country", "indicators", "indicator_groups", "risk_level", "exploitation_types", "labour_industry", "methods_of_control", "state_at_start", "state_at_end", "crisis_support", "advice_given", "services_informed", "follow_up_needed", "returning_caller", "script_version_id", "revision")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    CALLER_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    CALLER_ROLE_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ID_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    CALLER_SEX_FIELD_NUMBER: _ClassVar[int]
    CALLER_AGE_GROUP_FIELD_NUMBER: _ClassVar[int]
    CALLER_CITIZENSHIP_FIELD_NUMBER: _ClassVar[int]
    CALLER_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    CALLER_REGION_FIELD_NUMBER: _ClassVar[int]
    CALLER_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MOTIVE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_GROUPS_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    EXPLOITATION_TYPES_FIELD_NUMBER: _ClassVar[int]
    LABOUR_INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    METHODS_OF_CONTROL_FIELD_NUMBER: _ClassVar[int]
    STATE_AT_START_FIELD_NUMBER: _ClassVar[int]
    STATE_AT_END_FIELD_NUMBER: _ClassVar[int]
    CRISIS_SUPPORT_FIELD_NUMBER: _ClassVar[int]
    ADVICE_GIVEN_FIELD_NUMBER: _ClassVar[int]
    SERVICES_INFORMED_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_NEEDED_FIELD_NUMBER: _ClassVar[int]
    RETURNING_CALLER_FIELD_NUMBER: _ClassVar[int]
    SCRIPT_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    caller_id: str
    line: str
    caller_role: str
    purpose: str
    started_at: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    operator_id: str
    ended_at: _timestamp_pb2.Timestamp
    duration_seconds: int
    caller_sex: str
    caller_age_group: str
    caller_citizenship: str
    caller_country: str
    caller_region: str
    caller_language: str
    motive: str
    destination_country: str
    indicators: _containers.RepeatedScalarFieldContainer[str]
    indicator_groups: _containers.RepeatedScalarFieldContainer[str]
    risk_level: str
    exploitation_types: _containers.RepeatedScalarFieldContainer[str]
    labour_industry: str
    methods_of_control: _containers.RepeatedScalarFieldContainer[str]
    state_at_start: str
    state_at_end: str
    crisis_support: bool
    advice_given: _containers.RepeatedScalarFieldContainer[str]
    services_informed: int
    follow_up_needed: bool
    returning_caller: bool
    script_version_id: str
    revision: int
    def __init__(self, contact_id: _Optional[str] = ..., caller_id: _Optional[str] = ..., line: _Optional[str] = ..., caller_role: _Optional[str] = ..., purpose: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operator_id: _Optional[str] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., duration_seconds: _Optional[int] = ..., caller_sex: _Optional[str] = ..., caller_age_group: _Optional[str] = ..., caller_citizenship: _Optional[str] = ..., caller_country: _Optional[str] = ..., caller_region: _Optional[str] = ..., caller_language: _Optional[str] = ..., motive: _Optional[str] = ..., destination_country: _Optional[str] = ..., indicators: _Optional[_Iterable[str]] = ..., indicator_groups: _Optional[_Iterable[str]] = ..., risk_level: _Optional[str] = ..., exploitation_types: _Optional[_Iterable[str]] = ..., labour_industry: _Optional[str] = ..., methods_of_control: _Optional[_Iterable[str]] = ..., state_at_start: _Optional[str] = ..., state_at_end: _Optional[str] = ..., crisis_support: _Optional[bool] = ..., advice_given: _Optional[_Iterable[str]] = ..., services_informed: _Optional[int] = ..., follow_up_needed: _Optional[bool] = ..., returning_caller: _Optional[bool] = ..., script_version_id: _Optional[str] = ..., revision: _Optional[int] = ...) -> None: ...

class HighRiskRaised(_message.Message):
    __slots__ = ("contact_id", "caller_id", "risk_level", "indicator_groups", "operator_id", "raised_at", "police_report_consented")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    CALLER_ID_FIELD_NUMBER: _ClassVar[int]
    RISK_LEVEL_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_GROUPS_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_ID_FIELD_NUMBER: _ClassVar[int]
    RAISED_AT_FIELD_NUMBER: _ClassVar[int]
    POLICE_REPORT_CONSENTED_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    caller_id: str
    risk_level: str
    indicator_groups: _containers.RepeatedScalarFieldContainer[str]
    operator_id: str
    raised_at: _timestamp_pb2.Timestamp
    police_report_consented: bool
    def __init__(self, contact_id: _Optional[str] = ..., caller_id: _Optional[str] = ..., risk_level: _Optional[str] = ..., indicator_groups: _Optional[_Iterable[str]] = ..., operator_id: _Optional[str] = ..., raised_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., police_report_consented: _Optional[bool] = ...) -> None: ...
