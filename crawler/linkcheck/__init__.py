"""Checking the links, images and attachments of pages (SPEC §4.5).

The modules here are pure decisions (what a response means, whether to retry, whether a
target may be requested); `crawler.linkcheck.checker` applies them on aiohttp.
"""
