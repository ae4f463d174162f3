"""The portal config (SPEC §2): strict models and the loader."""

from monitor.config.loader import load_config
from monitor.config.models import (
    CalendarConfig,
    ChatConfig,
    ColumnConfig,
    CrawlConfig,
    EmailConfig,
    ListSelectors,
    PortalConfig,
    ReportConfig,
    RulesConfig,
    SiteConfig,
    UnitConfig,
)

__all__ = [
    "CalendarConfig",
    "ChatConfig",
    "ColumnConfig",
    "CrawlConfig",
    "EmailConfig",
    "ListSelectors",
    "PortalConfig",
    "ReportConfig",
    "RulesConfig",
    "SiteConfig",
    "UnitConfig",
    "load_config",
]
