"""Sending what the outbox owes: rendering, choosing a provider, and the worker."""
