import re
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hotline_common import codes
from referrals.directory import hours

# The shared code lists (hotline_common.codes) as types for the API; tests/test_directory_code_lists.py
# fails when one has a code its list does not.
ServiceType = Literal[
    "psychologist",
    "legal_aid",
    "medical",
    "shelter",
    "social_assistance",
    "employment",
    "education",
    "return_reintegration",
    "law_enforcement",
    "consular",
    "child_protection",
    "other",
]
SERVICE_TYPES: tuple[str, ...] = get_args(ServiceType)
# The languages a service works in: the shared list but Kazakh, which no directory service offers yet.
LanguageCode = Literal["az", "en", "ru", "tr", "fa", "ka", "uk", "uz", "tk", "ar", "zh", "hi", "ur", "other"]
LANGUAGES: tuple[str, ...] = get_args(LanguageCode)
# The directory's own lists.
OrganisationKind = Literal["state_body", "ngo", "international", "private_practice"]
ORGANISATION_KINDS: tuple[str, ...] = get_args(OrganisationKind)
Eligibility = Literal["women", "men", "children", "foreigners"]
ELIGIBILITY: tuple[str, ...] = get_args(Eligibility)
# Regions the pages offer (the shared list); any other region name may be stored too.
REGIONS: tuple[str, ...] = codes.REGIONS

_PHONE = re.compile(r"^\+?[0-9 ()\-]{3,40}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEBSITE = re.compile(r"^https?://[^\s]+$")


def _text(value: str) -> str:
    return " ".join(value.split())


class ServiceSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_type: ServiceType | None = None
    region: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    language: LanguageCode | None = None
    # Services that take every group asked for (a foreign woman: women and foreigners).
    eligibility: list[Eligibility] = Field(default_factory=list, max_length=4)
    open_now: bool = False
    text: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=20, ge=1, le=100)


class Contact(BaseModel):
    """Phone, e-mail and website, checked the same way for organisations and services."""

    phone: str = Field(default="", max_length=50)
    email: str = Field(default="", max_length=200)
    website: str = Field(default="", max_length=300)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        value = value.strip()
        if value and not _PHONE.match(value):
            raise ValueError("digits, spaces, + ( ) - only")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value and not _EMAIL.match(value):
            raise ValueError("not an e-mail address")
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        value = value.strip()
        if value and not _WEBSITE.match(value):
            raise ValueError("must start with http:// or https://")
        return value


class OrganisationIn(Contact):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    kind: OrganisationKind

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = _text(value)
        if not value:
            raise ValueError("must not be blank")
        return value


class OrganisationPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    kind: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


class ServiceIn(Contact):
    model_config = ConfigDict(extra="forbid")

    organisation_id: str = Field(min_length=1, max_length=36)
    name: str = Field(min_length=1, max_length=300)
    service_type: ServiceType
    region: str = Field(min_length=1, max_length=100)
    city: str = Field(min_length=1, max_length=100)
    address: str = Field(default="", max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    languages: list[LanguageCode] = Field(min_length=1, max_length=len(LANGUAGES))
    # Text like "mon-fri 09:00-18:00; sat 10:00-14:00" or "24/7"; stored in its canonical form.
    opening_hours: str = Field(default="", max_length=400)
    eligibility: list[Eligibility] = Field(default_factory=lambda: list(get_args(Eligibility)), min_length=1)
    capacity: int | None = Field(default=None, ge=0, le=100000)
    free_places: int | None = Field(default=None, ge=0, le=100000)

    @field_validator("name", "region", "city", "address")
    @classmethod
    def _clean(cls, value: str, info) -> str:
        value = _text(value)
        if not value and info.field_name != "address":
            raise ValueError("must not be blank")
        return value

    @field_validator("languages", "eligibility")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return sorted(set(value), key=value.index)

    @field_validator("opening_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        return hours.normalise(value)


class ServicePatch(BaseModel):
    """Only the fields given change; the result is checked as a whole service."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: str | None = None
    name: str | None = None
    service_type: str | None = None
    region: str | None = None
    city: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    languages: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    opening_hours: str | None = None
    eligibility: list[str] | None = None
    capacity: int | None = Field(default=None, ge=0, le=100000)
    free_places: int | None = Field(default=None, ge=0, le=100000)


class FreePlacesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    free_places: int = Field(ge=0, le=100000)
    capacity: int | None = Field(default=None, ge=0, le=100000)


class ServiceOut(BaseModel):
    id: str
    organisation_id: str
    organisation_name: str
    organisation_kind: str
    name: str
    service_type: str
    region: str
    city: str
    address: str
    latitude: float | None
    longitude: float | None
    languages: list[str]
    phone: str
    email: str
    website: str
    opening_hours: str
    hours: dict[str, list[str]]
    open_now: bool
    eligibility: list[str]
    capacity: int | None
    free_places: int | None
    free_places_updated_at: datetime | None
    active: bool


class OrganisationOut(BaseModel):
    id: str
    name: str
    kind: str
    phone: str
    email: str
    website: str
    active: bool
    services: list[ServiceOut] = Field(default_factory=list)


class DirectoryPage(BaseModel):
    """One page of the keepers' directory; `total` counts rows (services, or organisations shown
    without one)."""

    organisations: list[OrganisationOut]
    page: int
    pages: int
    total: int
    page_size: int


class ChangeOut(BaseModel):
    id: str
    entity: str
    entity_id: str
    organisation_id: str
    action: str
    actor: str
    actor_role: str
    actor_name: str
    at: datetime
    before: dict | None
    after: dict | None
    # The fields whose values differ between before and after.
    changed: list[str]
