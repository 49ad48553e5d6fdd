"""storywatch: the service shell (CLI, configuration, embedded server, HTTP, metrics)."""

__version__ = "0.1.0"
