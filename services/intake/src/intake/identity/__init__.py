"""Who a record is about, below both the contacts and the caller profiles: the pseudonymous caller
row a contact points at and the caller's own data key. Contacts check the one and seal a call's
free text under the other; caller profiles and the journal (which read the contacts) build on both."""
