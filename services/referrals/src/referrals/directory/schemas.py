from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ServiceType = Literal[
    "psychologist", "legal_aid", "medical", "shelter", "social_assistance", "employment", "education",
    "return_reintegration", "law_enforcement", "consular", "child_protection", "other",
]
LanguageCode = Literal["az", "en", "ru", "tr", "fa", "ka", "uk", "uz", "tk", "ar", "zh", "hi", "ur", "other"]


class ServiceSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_type: ServiceType | None = None
    region: str | None = Field(default=None, max_length=100)
    language: LanguageCode | None = None
    text: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=20, ge=1, le=100)


class ServiceOut(BaseModel):
    id: str
    organisation_id: str
    organisation_name: str
    name: str
    service_type: str
    region: str
    city: str
    address: str
    languages: list[str]
    phone: str
    opening_hours: str
