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


@dataclass
class App:
    environment: Environment = field(default_factory=Environment.from_environ)
    config_option: Path | None = None
    db_option: str | None = None

    def with_options(self, config: Path | None, db: str | None) -> App:
        return App(
            environment=self.environment,
            config_option=config or self.config_option,
            db_option=db or self.db_option,
        )

    @property
    def config_path(self) -> Path:
        path = self.config_option or self.environment.config_path
        if path is None:
            raise ConfigError([_("no config file given: use --config PATH or set "
                                 "MONITOR_CONFIG")])
        return path

    @cached_property
    def config(self) -> PortalConfig:
        from monitor.config import load_config

        return load_config(self.config_path)

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
