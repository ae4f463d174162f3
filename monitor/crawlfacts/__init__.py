"""What a crawl is asked to do and what it found, as plain data (core).

The crawler produces these values and storage records them; both import them from here,
so storage never reaches up into the crawler. Pure: no Scrapy, no database, no network.

- `plan`: the columns a run reads and what is known of them (`ColumnJob`, `CrawlPlan`).
- `items`: what the spiders hand to the pipeline (list pages, articles, column ends).
- `article`: what an article page says about itself (`Article`, `LinkRef`).
- `links`: the link checker's targets and verdicts.
- `urls`: the one spelling of a URL under which posts and link targets are stored.
- `titles`: a list title cut short, completed from the article's title.
- `precedence`: which reading of a post's date and title stands (SPEC §4.2).
"""
