"""Web plumbing every service shares: typed FastAPI dependencies (`deps`), the page kit with
language, rendering, the sign-in gate and sign-out (`pages`), and sign-in at an issuer (`signin`)."""
