"""The one error a reader raises: input that cannot be read at all (exit code 2)."""


class UnreadableInput(Exception):
    """A file that cannot be parsed; the message is one sentence naming the place (line and column)."""
