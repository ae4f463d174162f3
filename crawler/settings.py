"""Scrapy settings for the portal crawler.

Values that depend on the portal (concurrency, delay, timeout, User-Agent) are not set
here: `crawler.portal_settings` copies them from the loaded portal config, so that the YAML file
stays the one place an office changes them. What is here is what never varies.
"""

BOT_NAME = "portal-monitor"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# scrapy-playwright needs the asyncio reactor; using it for every crawl keeps one code path.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# A monitor running unattended on an office machine must not open consoles that accept
# code: both are off (Scrapy 2.19 starts the remote-control server by default).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Government portals are public records; robots.txt often forbids everything to every
# bot while the office itself is the publisher asking to be checked.
ROBOTSTXT_OBEY = False

# Defaults matching SPEC §2 `crawl:`; `crawler.portal_settings` overrides them from the config.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 15
# A list page or article larger than this is not a page but a trap or a file. Scrapy
# applies the same bound to the decompressed body, chunk by chunk, for each encoding it
# asks for (gzip, deflate, br, zstd): a small compressed bomb is cut off at this size.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
# Pages this large are unusual: logged, so a portal that grows them is noticed.
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Items go to one synchronous store pipeline, so running outputs of a response in
# parallel gains nothing, while Scrapy starts CONCURRENT_ITEMS asyncio tasks for every
# response: at the default of 100 that was a tenth of a crawl's time.
CONCURRENT_ITEMS = 1
# Scrapy re-reads and parses a generator callback's source for every response to warn
# about `return value` in generators (bound methods miss its cache): a millisecond a
# response. Our callbacks return nothing; tests cover them.
WARN_ON_GENERATOR_RETURN_VALUE = False

# At most CONCURRENT_REQUESTS_PER_DOMAIN connections open to a host over all its ports,
# idle keep-alive ones included (`crawler.hostpool`).
DOWNLOAD_HANDLERS = {
    "http": "crawler.hostpool.HostBoundDownloadHandler",
    "https": "crawler.hostpool.HostBoundDownloadHandler",
}

COOKIES_ENABLED = True
HTTPCACHE_ENABLED = False
LOG_LEVEL = "WARNING"
LOG_INSTALL_ROOT_HANDLER = False
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# Downloader middlewares, lower numbers nearer the engine (requests pass in ascending
# order, responses in descending order).
DOWNLOADER_MIDDLEWARES = {
    # Before everything else, robots.txt included: a forbidden target (a private address
    # other than the site) must never be contacted, not even after a wait.
    "crawler.middlewares.ssrf_guard.SsrfGuardMiddleware": 60,
    # Above RetryMiddleware (550) so it sees a 429/503 first and records the host's
    # Retry-After pause; the retry Scrapy then schedules is held until the pause ends.
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,
}

SPIDER_MIDDLEWARES = {
    # Nearest the spider, so it sees a callback's error first and ends only that column.
    "crawler.middlewares.column_errors.ColumnErrorMiddleware": 950,
}

EXTENSIONS = {
    # Cuts a download short once a request's `stop_after_bytes` have arrived (images are
    # judged by their first bytes). Idle for requests that do not ask for it.
    "crawler.middlewares.early_stop.EarlyStopExtension": 100,
}
