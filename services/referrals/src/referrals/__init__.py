"""referrals: the directory of services and referrals with their lifecycle."""
