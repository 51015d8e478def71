"""The stand-in Oma kansio: a WebDAV folder per resident behind a small sign-in service
(ID card challenge or an app password). The demo's default; the tests' real server."""
