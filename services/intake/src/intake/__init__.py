"""intake: the hotline. Owns all personal data of callers."""
