"""The technical operator's view of the built-in issuer's accounts: who, which role and organisation,
disabled or locked. No case data."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from hotline_common.auth import Role
from hotline_common.errors import ValueProblem
from hotline_common.i18n_markers import N_
from intake.accounts.schemas import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN
from intake.admin.roles import ADMIN_ROLES

USERNAME = re.compile(USERNAME_PATTERN)
# The directory's ids (referrals' organisations) are UUIDs, written in the canonical 8-4-4-4-12 form.
ORGANISATION_ID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
# What a refused value is told (pages show each beside its field, in the reader's language).
BAD_USERNAME = N_("3 to 50 characters: small letters, digits, dot, dash or underscore, starting with a letter or digit")
BAD_NAME = N_("Give a name of 1 to 200 characters")
BAD_PASSWORD = N_("A password has 12 to 200 characters")
NO_SUCH_ROLE = N_("No such role")
ROLES = frozenset(str(role) for role in Role)
BAD_ORGANISATION = N_("An organisation id is a UUID, like 0190a000-0000-7000-8000-000000000002")


class AccountOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    organisation_id: str | None
    created_at: datetime
    disabled: bool
    disabled_at: datetime | None
    # Locked after repeated wrong passwords until then (unlocking lifts it sooner).
    locked: bool
    locked_until: datetime | None


def _password(value: str) -> str:
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise ValueProblem(BAD_PASSWORD)
    return value


Password = Annotated[str, AfterValidator(_password)]


class AccountIn(BaseModel):
    """An account of the built-in issuer added by the technical operator (only roles that read no case
    data: intake.admin.service decides). A partner's names its organisation in the directory."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str
    display_name: str
    # The schema names the roles asked for; another person's role is refused by the rule, with why (403).
    role: str = Field(json_schema_extra={"enum": list(ADMIN_ROLES)})
    organisation_id: str | None = None
    password: Password

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not USERNAME.match(value):
            raise ValueProblem(BAD_USERNAME)
        return value

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if value not in ROLES:
            raise ValueProblem(NO_SUCH_ROLE)
        return value

    @field_validator("display_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not 1 <= len(value) <= NAME_MAX:
            raise ValueProblem(BAD_NAME)
        return value

    @field_validator("organisation_id")
    @classmethod
    def _organisation(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not ORGANISATION_ID.match(value):
            raise ValueProblem(BAD_ORGANISATION)
        return value.lower()


class AccountPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password


class AccountDisabled(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disabled: bool
