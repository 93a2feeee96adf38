"""Accounts, sessions and bearer tokens, and who may write what."""
