// The module Web Worker that owns the wasm analyzer; no other module imports pkg/. Protocol ({type} messages):
//   worker → page   {type: "ready"} once the wasm is initialised, or {type: "error", message} if it cannot be
//   page → worker   {type: "start", options}  → {type: "started"}
//                   {type: "chunk", buffer}   → {type: "ack"}      (buffer: a transferred ArrayBuffer)
//                   {type: "finish"}          → {type: "result", report}
// Any request can instead be answered with {type: "error", message}: the Error message from the wasm.
import init, { Analyzer } from "./pkg/ltv_lens.js";

let analyzer = null;

function drop() {
  analyzer?.free(); // wasm memory is not garbage-collected
  analyzer = null;
}

function handle(message) {
  switch (message.type) {
    case "start":
      drop();
      analyzer = new Analyzer(message.options);
      return { type: "started" };
    case "chunk":
      analyzer.push(new Uint8Array(message.buffer));
      return { type: "ack" };
    case "finish": {
      const report = analyzer.finish();
      drop();
      return { type: "result", report };
    }
    default:
      throw new Error(`unknown message type: ${message.type}`);
  }
}

function errorMessage(error) {
  return String(error?.message ?? error);
}

try {
  await init();
  self.onmessage = ({ data }) => {
    try {
      postMessage(handle(data));
    } catch (error) {
      drop();
      postMessage({ type: "error", message: errorMessage(error) });
    }
  };
  postMessage({ type: "ready" });
} catch (error) {
  postMessage({ type: "error", message: errorMessage(error) });
}
