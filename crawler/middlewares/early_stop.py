"""Extension stopping a download once enough of the body has arrived.

A request whose meta carries `stop_after_bytes` (an int > 0) is cut after that many
body bytes (Scrapy's `bytes_received` signal with StopDownload(fail=False)): the callback
still gets the response, with the bytes read so far and the 'download_stopped' flag.
The link checker needs only an image's first bytes or a page's head, not a 200 MB file.

Setting: EARLY_STOP_ENABLED (default True). Register it in EXTENSIONS.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured, StopDownload

STOP_AFTER_BYTES_META = "stop_after_bytes"
_SEEN_META = "_early_stop_bytes_seen"


def should_stop(bytes_seen: int, limit: int | None) -> bool:
    return limit is not None and limit > 0 and bytes_seen >= limit


class EarlyStopExtension:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EarlyStopExtension:
        if not crawler.settings.getbool("EARLY_STOP_ENABLED", True):
            raise NotConfigured("EARLY_STOP_ENABLED is off")
        extension = cls()
        crawler.signals.connect(extension.bytes_received, signal=signals.bytes_received)
        return extension

    def bytes_received(self, data: bytes, request: Request) -> None:
        limit = request.meta.get(STOP_AFTER_BYTES_META)
        if limit is None:
            return
        seen = request.meta.get(_SEEN_META, 0) + len(data)
        request.meta[_SEEN_META] = seen
        if should_stop(seen, limit):
            raise StopDownload(fail=False)
