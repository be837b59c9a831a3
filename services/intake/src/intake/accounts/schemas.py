from pydantic import BaseModel, ConfigDict, Field

# What an account of the built-in issuer may be called and protected with, whoever creates it (the
# director's staff, the technical operator's accounts).
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,49}$"
NAME_MAX = 200
PASSWORD_MIN, PASSWORD_MAX = 12, 200


class Credentials(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_in: int
    role: str
