"""Errors the service layer raises; the CLI and the API map them to exit codes and HTTP status."""


class MatchmakerError(Exception):
    """Base class; the message is meant for the user."""


class NotFound(MatchmakerError, LookupError):
    """A requirement or supplier id that is not in the database."""


class BadInput(MatchmakerError, ValueError):
    """Input that cannot be used as given."""


class ConfigurationError(MatchmakerError):
    """Settings that cannot work (unknown backend, unreachable engine, wrong model)."""


class Forbidden(MatchmakerError, PermissionError):
    """A write the caller may not make (another firm's requirement, another supplier's profile)."""
