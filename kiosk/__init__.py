"""Application core: visit workflow, matching, queue, after-care, assistant, hub and its client, CLI."""

__version__ = "0.1.0"
