"""Fixed identities of the demo data (`make run`, tests), shared so that each service's demo data
can refer to the others' without a lookup: a demo login is also a Working Group member, a partner
user belongs to a directory organisation."""

# The demo directory's psychological support centre (referrals); the `partner` login works there.
PARTNER_ORGANISATION_ID = "0190a000-0000-7000-8000-000000000002"

# username -> the account's id, which is the `sub` of its tokens.
ACCOUNT_IDS = {
    "operator": "0190b000-0000-7000-8000-000000000001",
    "director": "0190b000-0000-7000-8000-000000000002",
    "partner": "0190b000-0000-7000-8000-000000000003",
    "coordinator": "0190b000-0000-7000-8000-000000000004",
    "wgmember": "0190b000-0000-7000-8000-000000000005",
    "analyst": "0190b000-0000-7000-8000-000000000006",
    "admin": "0190b000-0000-7000-8000-000000000007",
    # The Working Group's head and secretary sign in as members; coordination knows their office.
    "head": "0190b000-0000-7000-8000-000000000008",
    "secretary": "0190b000-0000-7000-8000-000000000009",
    "operator2": "0190b000-0000-7000-8000-00000000000a",
}
