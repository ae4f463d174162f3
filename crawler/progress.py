"""The crawl's progress on stderr: columns done of all, pages read, new posts, articles."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class CrawlProgress:
    def __init__(self, columns: int, console: Console | None = None):
        self.pages = self.new_posts = self.articles = self.links = 0
        self._bar = Progress(
            TextColumn("crawl"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("columns · {task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("crawl", total=columns, detail="starting")

    def __enter__(self) -> CrawlProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._refresh()
        self._bar.stop()

    def list_page(self, new_posts: int) -> None:
        self.pages += 1
        self.new_posts += new_posts
        self._refresh()

    def column_done(self) -> None:
        self._bar.advance(self._task)
        self._refresh()

    def article(self) -> None:
        self.articles += 1
        self._refresh()

    def link_checked(self) -> None:
        self.links += 1
        self._refresh()

    def _refresh(self) -> None:
        detail = (f"{self.pages} pages · {self.new_posts} new posts · {self.articles} articles"
                  f" · {self.links} links checked")
        self._bar.update(self._task, detail=detail)
