"""reporting: statistics built from events only."""
