"""Settings schema, loader and the data files that center administrators edit.

This package imports nothing of ours: every other package may depend on it.
"""

from config.loader import ConfigError, load_settings, resource_path
from config.settings import Settings

__all__ = ["ConfigError", "Settings", "load_settings", "resource_path"]
