// Registers the service worker (sw.js) that stores the page's files on the first visit and serves them
// when the network is off. updateViaCache "none": the browser checks sw.js and the precache.js it imports
// against the host on every visit, never against its HTTP cache, so a new build is noticed on the next load.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js", { updateViaCache: "none" }).catch((error) => {
    console.warn(`LTV Lens will not work offline: ${error.message}`);
  });
}
