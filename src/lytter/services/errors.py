"""The one exception type the doors (CLI, API, web) turn into a clear message for the user."""


class UserError(Exception):
    """Something the user can fix, explained in one sentence that says what and where."""
