"""Pure extraction: bytes or HTML of list and article pages in, typed results out.

No Scrapy, network or database here; the spiders call these functions.
"""
