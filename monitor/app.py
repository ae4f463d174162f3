"""What every command needs, resolved once: the config, the database, the clock.

Precedence for each setting: the command's own option, then the option given before the
command (`monitor --config X check`), then the environment (SPEC §2), then the default.
Everything is loaded lazily so `monitor --help` needs neither a config nor a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.clock import Clock
from monitor.errors import ConfigError
from monitor.i18n import _
from monitor.settings import DEFAULT_DB_URL, Environment

if TYPE_CHECKING:
    # Imported where used: every command builds an App, few need SQLAlchemy or the config
    # models before they run, and `monitor --help` needs neither.
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from monitor.config import PortalConfig
    from monitor.config.portals import PortalFile, Portals


@dataclass
class App:
    environment: Environment = field(default_factory=Environment.from_environ)
    config_option: Path | None = None
    db_option: str | None = None
    # `--portal NAME` when the config names a directory of portals (SPEC §7).
    portal_option: str | None = None

    def with_options(self, config: Path | None, db: str | None,
                     portal: str | None = None) -> App:
        return App(
            environment=self.environment,
            config_option=config or self.config_option,
            db_option=db or self.db_option,
            portal_option=portal or self.portal_option,
        )

    @property
    def config_source(self) -> Path:
        """What `--config`/`MONITOR_CONFIG` names: one portal's file or a directory of them."""
        path = self.config_option or self.environment.config_path
        if path is None:
            raise ConfigError([_("no config file given: use --config PATH or set "
                                 "MONITOR_CONFIG")])
        return path

    @property
    def names_directory(self) -> bool:
        """Whether the config named is a directory of portals (False when none is named:
        the error waits until the config is read)."""
        path = self.config_option or self.environment.config_path
        return path is not None and path.is_dir()

    @property
    def config_path(self) -> Path:
        """The selected portal's own file (crawl workers and scrapyd jobs are given it)."""
        source = self.config_source
        if not source.is_dir():
            return source
        return self.portal.path

    @cached_property
    def portals(self) -> Portals:
        from monitor.config.portals import load_portals

        return load_portals(self.config_source)

    @cached_property
    def portal(self) -> PortalFile:
        """The portal this App works on: `--portal NAME`, or the only one configured."""
        return self.portals.select(self.portal_option)

    def for_portal(self, portal: PortalFile) -> App:
        """An App on one portal of this installation, its config already loaded."""
        scoped = App(environment=self.environment, config_option=portal.path,
                     db_option=self.db_option)
        # One engine and clock for every portal: they share the database and the time.
        scoped.__dict__.update(portal=portal, config=portal.config, engine=self.engine,
                               sessions=self.sessions, clock=self.clock)
        return scoped

    @cached_property
    def config(self) -> PortalConfig:
        return self.portal.config

    @property
    def db_url(self) -> str:
        return self.db_option or self.environment.db_url or DEFAULT_DB_URL

    @property
    def db_url_for_display(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.db_url).render_as_string(hide_password=True)

    @cached_property
    def engine(self) -> Engine:
        from storage.session import create_db_engine

        return create_db_engine(self.db_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from storage.session import session_factory

        return session_factory(self.engine)

    @cached_property
    def clock(self) -> Clock:
        return Clock(self.environment.now)
