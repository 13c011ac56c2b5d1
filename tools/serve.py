#!/usr/bin/env python3
"""Serves www/ for `make serve` with the response headers of www/_headers on every response.

python3 -m http.server sends no security headers, and a module worker takes its Content-Security-Policy
from its own response, not from the page's meta tag. This server reads www/_headers (the Netlify /
Cloudflare Pages format: a path pattern at the start of a line, then indented `Name: value` lines;
`#` starts a comment) and adds the headers of every matching rule, with the content types the page
needs (application/wasm, text/javascript). Python standard library only.

    python3 tools/serve.py [--bind 127.0.0.1] [--port 8080] [--directory www]

Port 0 takes a free port; the first line printed is the page's URL.
"""

import argparse
import functools
import http.server
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
    ".ico": "image/x-icon",
    ".ts": "text/plain; charset=utf-8",
    "": "application/octet-stream",
}


def read_headers(path):
    """The rules of a _headers file: [(compiled path pattern, [(name, value)])]."""
    rules = []
    with open(path, encoding="utf-8") as file:
        for number, raw in enumerate(file, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line[0].isspace():
                # `*` matches anything (the "splat"), `:name` one path segment.
                parts = re.split(r"(\*|:[A-Za-z_]\w*)", line.strip())
                pattern = "".join(
                    ".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in parts
                )
                rules.append((re.compile(pattern + r"\Z"), []))
                continue
            name, sep, value = line.strip().partition(":")
            if not rules or not sep or not name.strip():
                raise ValueError(f"{path}:{number}: expected a path, or `Name: value` under one")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules, url_path):
    """The headers of every rule whose pattern matches `url_path`, in file order."""
    return [header for pattern, headers in rules if pattern.match(url_path) for header in headers]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = CONTENT_TYPES
    rules = []

    def end_headers(self):
        # Every response (files, directory redirects, 304s and errors) carries the configured headers.
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for name, value in headers_for(self.rules, path):
            self.send_header(name, value)
        # Revalidate every time, so a rebuilt wasm or script is never taken from the cache.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        # Like Netlify and Cloudflare Pages, the _headers file configures the host and is not published.
        if os.path.basename(self.path.split("?", 1)[0].rstrip("/")) == "_headers":
            self.send_error(404)
            return None
        return super().send_head()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--directory", default=os.path.join(ROOT, "www"))
    args = parser.parse_args()

    directory = os.path.abspath(args.directory)
    Handler.rules = read_headers(os.path.join(directory, "_headers"))

    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        host, port = server.server_address[:2]
        print(f"LTV Lens: http://{host}:{port}/", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
