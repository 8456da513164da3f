// Starts Node-Media-Server 4 (an anchor of bench/fanout.sh) with RTMP on 127.0.0.1:<port>, no HTTP, no web admin,
// its store in <dataDir>. Usage: node bench/nms-launcher.js <rtmpPort> <dataDir>; NODE_PATH points at its install.
"use strict";
const NodeMediaServer = require("node-media-server");
const logger = require("node-media-server/src/core/logger.js");

const port = Number(process.argv[2]);
const dataDir = process.argv[3];
if (!Number.isInteger(port) || port <= 0 || !dataDir) {
  console.error("usage: node nms-launcher.js <rtmpPort> <dataDir>");
  process.exit(2);
}
const nms = new NodeMediaServer({
  bind: "127.0.0.1",
  rtmp: { port },
  store: { path: dataDir },
  auth: { play: false, publish: false, secret: "" },
  webadmin: { enable: false },
  record: { auto: false, path: dataDir + "/record" },
  notify: { url: "" },
});
logger.level = "warn"; // the constructor sets "debug": one line per connection would cost CPU in the measurement
nms.run();
const stop = () => nms.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
