"""The web dashboard of `monitor serve` (SPEC §8): server-rendered pages in Chinese.

`app.create_app` builds the Starlette application; each page has its module under
`pages`; `auth` holds sessions, CSRF tokens and the login throttle; `security` the
response headers. Every judgement shown comes from the same service functions as the
CLI (`monitor check`, `monitor stats`, the reports); the pages only arrange them.
"""
