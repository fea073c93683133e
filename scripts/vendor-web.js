#!/usr/bin/env node
// Copies the socket.io browser client from node_modules into bot/web/vendor/.
// Run after `npm ci` (or via `npm run vendor-web`). The copied file is committed,
// so serving the widget never needs npm or node.
"use strict";

const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const pkgDir = path.join(root, "node_modules", "socket.io-client");
const outDir = path.join(root, "bot", "web", "vendor");

const version = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
const source = fs.readFileSync(path.join(pkgDir, "dist", "socket.io.min.js"), "utf8");

// The source map is not vendored, so drop the reference to it (avoids a 404 in devtools).
const stripped = source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "socket.io.min.js"), stripped);
fs.copyFileSync(path.join(pkgDir, "LICENSE"), path.join(outDir, "socket.io-client.LICENSE"));
fs.writeFileSync(
  path.join(outDir, "VERSIONS.txt"),
  `socket.io-client ${version} (dist/socket.io.min.js, MIT)\n`
);
console.log(`vendored socket.io-client ${version} into ${path.relative(root, outDir)}/`);
