// One sitting of the official TypeScript MCP client (@modelcontextprotocol/sdk) against our
// server over stdio: upload, generate, export until done, then read every resource a host would.
// Prints one JSON report on stdout: each answer as the client parsed it, the size of every line
// the server wrote (the client's stdio buffer refuses past 10 MiB) and any transport error.
//
// argv[2]: JSON {sdk, command, args, env, photo}; sdk is the installed package's folder.
import { pathToFileURL } from "node:url";

const spec = JSON.parse(process.argv[2]);
const load = (rel) => import(pathToFileURL(`${spec.sdk}/dist/esm/${rel}`).href);
const { Client } = await load("client/index.js");
const { StdioClientTransport } = await load("client/stdio.js");

const transport = new StdioClientTransport({
  command: spec.command,
  args: spec.args,
  env: spec.env,
  stderr: "ignore",
});
const lines = []; // byte length of each line the server wrote on stdout
const errors = [];
let pending = 0;
const start = transport.start.bind(transport);
transport.start = async () => {
  await start();
  // The raw stream, beside the SDK's own reader: sizes as written, not as re-serialised.
  transport._process.stdout.on("data", (chunk) => {
    let from = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, from)) {
      lines.push(pending + i - from);
      pending = 0;
      from = i + 1;
    }
    pending += chunk.length - from;
  });
};
const client = new Client({ name: "ts-sdk-test", version: "1.0.0" });
client.onerror = (err) => errors.push(String(err));
const report = { steps: {}, lines, errors };
const slow = { timeout: 180_000 };
try {
  await client.connect(transport);
  report.sdk = spec.sdkVersion;
  report.tools = (await client.listTools()).tools.map((t) => t.name);
  report.steps.upload = await client.callTool({ name: "upload", arguments: { files: [spec.photo] } }, undefined, slow);
  report.steps.generate = await client.callTool(
    { name: "generate", arguments: { prompt: "make a video with music" } }, undefined, slow);
  const exports = [];
  for (let i = 0; i < 10; i++) { // "rendering" says call again: as an assistant would
    const out = await client.callTool({ name: "export", arguments: {} }, undefined, slow);
    exports.push(out);
    if (out.isError || out.structuredContent?.status === "done") break;
  }
  report.steps.exports = exports;
  report.steps.status = await client.callTool({ name: "status", arguments: {} }, undefined, slow);
  report.templates = (await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
  const listed = (await client.listResources()).resources.map((r) => r.uri);
  report.resources = {};
  const done = exports.at(-1)?.structuredContent;
  const name = done?.path ? done.path.split("/").at(-1) : "missing.mp4";
  for (const uri of [...listed, `nemo://exports/${encodeURIComponent(name)}`]) {
    report.resources[uri] = await client.readResource({ uri }, slow);
  }
} catch (err) {
  errors.push(String(err?.stack ?? err));
} finally {
  await client.close().catch(() => {});
}
process.stdout.write(JSON.stringify(report));
