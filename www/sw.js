// The service worker that keeps the page working offline (a classic script, registered by offline.js).
// At install it stores every file of this build (precache.js, written by tools/precache.mjs when the page
// is built) in a cache named after the build's version; it then answers GET requests for those files, and
// navigations to the page, from that cache first and from the network when an entry is missing. Nothing
// else is ever stored: no other request is answered here, so the files a user analyses (read from disk,
// never fetched), the Reports and the customer lists (made in the page) never reach the cache.
// A new build installs next to the old one and takes over at once (skipWaiting, then clients.claim for
// pages opened before any worker controlled them); when it activates, the caches of older builds of this
// page are deleted.
importScripts("precache.js");

const SCOPE = self.registration.scope;
// Named after the scope too, so that two copies of the page on one origin keep their own caches.
const CACHE_PREFIX = `ltv-lens ${SCOPE} `;
const CACHE = CACHE_PREFIX + self.PRECACHE.version;
const PRECACHED = new Set(self.PRECACHE.urls.map((url) => new URL(url, SCOPE).href));
const PAGE = new URL("./", SCOPE).href;
const INDEX = new URL("index.html", SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: "reload" skips the HTTP cache, so that what is stored is what the host serves now.
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const old = (await caches.keys()).filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE);
      await Promise.all(old.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // The page itself, opened at ./ or index.html with any query, is the cached ./.
  const page = request.mode === "navigate" && [PAGE, INDEX].includes(url.origin + url.pathname);
  const key = page ? PAGE : url.href;
  if (!PRECACHED.has(key)) return;
  event.respondWith(
    caches.match(key, { cacheName: CACHE }).then((cached) => cached ?? fetch(request)),
  );
});
