"""What every CLI command gets: the settings and the database, loaded once and lazily."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, load_settings
from db.crypto import KeyRing
from db.key_guard import open_site_keyring
from db.session import default_url, make_engine, make_sessionmaker


@dataclass
class AppContext:
    config_file: str | None = None
    db_url_option: str | None = None
    _overrides: dict[str, object] = field(default_factory=dict)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_file)

    @property
    def db_url(self) -> str:
        return self.db_url_option or self.settings.db.url or default_url(self.settings.app.data_dir)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.db_url, echo=self.settings.db.echo)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    def keyring(self) -> KeyRing:
        """The site's key ring, opened the one safe way (db.key_guard): MissingKeyError (exit 2) rather
        than a new key when stored data needs another. Not cached: a rotation may change the file."""
        return open_site_keyring(self.settings, self.engine)
