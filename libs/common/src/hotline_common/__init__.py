"""Shared plumbing for the hotline services. Domain logic lives in each service, never here."""
