"""Which accounts the technical operator may create and reset, from the permission table: those of the
roles that read no case data. Hotline staff (the roles that read calls) are the director's."""

from hotline_common.auth import ROLE_PERMISSIONS, Permission, Role

# Reading a caller's record or a call: accounts with these are the director's to create and reset.
CASE_DATA = frozenset({Permission.CONTACT_RECORD, Permission.CONTACT_READ})
# A service calls as itself with its own identity; no person's account has its role.
PERSON_ROLES = tuple(str(role) for role in Role if Permission.SERVICE_CALLS not in ROLE_PERMISSIONS[role])
ADMIN_ROLES = tuple(role for role in PERSON_ROLES if not ROLE_PERMISSIONS[Role(role)] & CASE_DATA)


def belongs_to_organisation(role: str) -> bool:
    """A partner sees only its own organisation's referrals: its account names the organisation."""
    return Permission.REFERRAL_READ_OWN_ORG in ROLE_PERMISSIONS[Role(role)]
