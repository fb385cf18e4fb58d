// The player and timeline for the `status` and `export` tools (MCP Apps view).
//
// Every string that arrives in a tool result is untrusted: it reaches the page through
// textContent, attributes set with setAttribute, or a URL checked to be http(s); never
// through innerHTML. Links open through the host (ui/open-link), never window.open.
(() => {
  "use strict";

  const { App, PostMessageTransport, applyDocumentTheme, applyHostFonts, applyHostStyleVariables } =
    window.McpExtApps;

  const POLL_MS = 4000; // between export calls while a render runs
  const MAX_POLLS = 150; // ~10 minutes; then the user presses Refresh
  const MAX_LINK_REFRESHES = 2; // fresh-link attempts before a video plays once
  const CALL_TIMEOUT_MS = 90000; // export may wait ~40 s on the server before answering

  // --- strings -------------------------------------------------------------------------------
  const STRINGS = {
    en: {
      title: "Your video",
      loading: "Loading the project…",
      badgeDone: "Ready",
      badgeRendering: "Rendering {pct}%",
      badgeWaiting: "Waiting",
      badgeFailed: "Render failed",
      noVideo: "No video yet. Press Export to render the MP4 (free).",
      noVideoNotExportable: "Nothing to export yet: ask the assistant to make the video first.",
      rendering: "Rendering your video… {pct}%",
      waiting: "The editor is still working; the render starts when it's done.",
      failed: "The render failed. Press Export to try again.",
      failedWith: "The render failed: {reason}",
      export: "Export MP4",
      refresh: "Refresh",
      open: "Open in NemoVideo",
      openHint: "(opens in your browser)",
      timeline: "Timeline",
      seconds: "{n} s",
      minutes: "{m}:{s}",
      clipList: "All clips ({n})",
      clipRange: "{name}: {start} – {end}",
      clipVolume: "{name}: {start} – {end}, volume {vol}%",
      volumeShort: "vol {vol}%",
      more: "+{n} more not shown",
      trackVideo: "Video",
      trackAudio: "Music",
      trackText: "Titles",
      trackOther: "Track",
      untitled: "Untitled",
      emptyTimeline: "The timeline is empty: upload photos or clips and describe the video first.",
      savedAs: "Saved on your computer as {file}",
      megabytes: "{n} MB",
      exportDone: "The video is ready.",
      working: "Working…",
      hostRefused: "The chat app didn't pass the request on. Try again, or ask the assistant.",
      linkRefused: "The chat app didn't open the link. Ask the assistant for the project link.",
      linkExpired: "The video link has expired; getting a fresh one…",
      videoFailed: "The video can't be played here. Press Refresh to get a fresh link.",
      badgeSaved: "Saved",
      videoBlocked: "This chat app can't play the video here. It is saved on your computer as {file}: open it from there, or press Open video.",
      videoBlockedNoFile: "This chat app can't play the video here. Press Open video to open it in your browser.",
      openVideo: "Open video",
      pollStopped: "Still rendering. Press Refresh to check again.",
      cancelled: "The request was cancelled.",
      toolFailed: "The tool reported an error.",
      addPhotos: "Add photos",
      addPhotosHint: "(opens an upload page in your browser)",
      addPhotosOpened: "Choose your photos and videos on the page that opened, then press Refresh.",
      uploadLinkRefused: "The chat app didn't open the upload page. Ask the assistant for an upload link.",
    },
    zh: {
      title: "你的视频",
      loading: "正在加载项目…",
      badgeDone: "已完成",
      badgeRendering: "渲染中 {pct}%",
      badgeWaiting: "等待中",
      badgeFailed: "渲染失败",
      noVideo: "还没有视频。点击「导出」渲染 MP4（免费）。",
      noVideoNotExportable: "还没有可导出的内容：请先让助手制作视频。",
      rendering: "正在渲染视频… {pct}%",
      waiting: "编辑器仍在处理，完成后开始渲染。",
      failed: "渲染失败。点击「导出」重试。",
      failedWith: "渲染失败：{reason}",
      export: "导出 MP4",
      refresh: "刷新",
      open: "在 NemoVideo 中打开",
      openHint: "（在浏览器中打开）",
      timeline: "时间线",
      seconds: "{n} 秒",
      minutes: "{m}:{s}",
      clipList: "全部片段（{n}）",
      clipRange: "{name}：{start} – {end}",
      clipVolume: "{name}：{start} – {end}，音量 {vol}%",
      volumeShort: "音量 {vol}%",
      more: "另有 {n} 个未显示",
      trackVideo: "视频",
      trackAudio: "音乐",
      trackText: "标题",
      trackOther: "轨道",
      untitled: "未命名",
      emptyTimeline: "时间线是空的：请先上传照片或视频片段，并描述想要的视频。",
      savedAs: "已保存到你的电脑：{file}",
      megabytes: "{n} MB",
      exportDone: "视频已完成。",
      working: "处理中…",
      hostRefused: "聊天应用没有转发这个请求。请重试，或直接告诉助手。",
      linkRefused: "聊天应用没有打开链接。请向助手索取项目链接。",
      linkExpired: "视频链接已过期，正在获取新链接…",
      videoFailed: "视频无法在这里播放。点击「刷新」获取新链接。",
      badgeSaved: "已保存",
      videoBlocked: "此聊天应用无法在这里播放视频。视频已保存到你的电脑：{file}，请从那里打开，或点击「打开视频」。",
      videoBlockedNoFile: "此聊天应用无法在这里播放视频。请点击「打开视频」在浏览器中打开。",
      openVideo: "打开视频",
      pollStopped: "仍在渲染。点击「刷新」再查看。",
      cancelled: "请求已取消。",
      toolFailed: "工具返回了错误。",
      addPhotos: "添加照片",
      addPhotosHint: "（在浏览器中打开上传页面）",
      addPhotosOpened: "请在打开的页面中选择照片和视频，然后点击「刷新」。",
      uploadLinkRefused: "聊天应用没有打开上传页面。请向助手索取上传链接。",
    },
  };

  // --- state ---------------------------------------------------------------------------------
  const state = {
    lang: null, // from the tool result; else host locale; else the browser
    hostLocale: null,
    loaded: false,
    projectName: null,
    projectUrl: null,
    exportable: true,
    timeline: null,
    video: null, // {url, duration_s, width, height, size_bytes, path}
    render: null, // {state: "rendering" | "waiting" | "failed", progress, error}
    busy: false,
    error: null, // a key or {text}
    live: null, // a key (+params) announced politely
    blocked: false, // the video can't play in this host (its CSP, say): offer the file and the link
    uploadPage: false, // hosted mode: photos come from the user's device through an upload page
  };
  let pollTimer = null;
  let polls = 0;
  const linkRepair = { triedFor: new Set(), attempts: 0, running: false };

  // --- small helpers -------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const str = (v) => (typeof v === "string" ? v : null);
  const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);

  function normLang(value) {
    const raw = (str(value) || "").trim().toLowerCase();
    if (raw.startsWith("zh") || raw.startsWith("chinese")) return "zh";
    if (raw.startsWith("en") || raw.startsWith("english")) return "en";
    return null;
  }
  function lang() {
    return state.lang || normLang(state.hostLocale) || normLang(navigator.language) || "en";
  }
  function t(key, params) {
    const table = STRINGS[lang()];
    const text = table[key] !== undefined ? table[key] : STRINGS.en[key];
    return text.replace(/\{(\w+)\}/g, (m, name) =>
      params && params[name] !== undefined && params[name] !== null ? String(params[name]) : m,
    );
  }
  // Only http(s) links reach the player or the host's open-link request.
  function safeUrl(value) {
    const raw = str(value);
    if (!raw) return null;
    try {
      const url = new URL(raw);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }
  function clampPct(value) {
    const n = num(value);
    return n === null ? null : Math.max(0, Math.min(100, Math.round(n)));
  }
  function fmtNumber(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, "");
  }
  function fmtTime(seconds) {
    const s = Math.max(0, seconds);
    if (s < 60) return t("seconds", { n: fmtNumber(Math.round(s * 10) / 10) });
    const whole = Math.round(s);
    return t("minutes", { m: Math.floor(whole / 60), s: String(whole % 60).padStart(2, "0") });
  }
  function fmtAxis(seconds) {
    if (seconds < 60) return fmtNumber(Math.round(seconds * 10) / 10) + (lang() === "zh" ? "秒" : "s");
    const whole = Math.round(seconds);
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }
  function gcd(a, b) {
    return b ? gcd(b, a % b) : a;
  }
  function ratioOf(width, height, given) {
    const declared = str(given);
    if (declared && /^\d{1,3}:\d{1,3}$/.test(declared)) return declared;
    if (!width || !height) return null;
    const d = gcd(Math.round(width), Math.round(height));
    return d ? Math.round(width) / d + ":" + Math.round(height) / d : null;
  }
  function baseName(path) {
    const p = str(path);
    if (!p) return null;
    const parts = p.split(/[\\/]/);
    return parts[parts.length - 1] || null;
  }
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function firstText(result) {
    const content = result && Array.isArray(result.content) ? result.content : [];
    for (const block of content) {
      if (isObj(block) && block.type === "text" && str(block.text)) return block.text.slice(0, 400);
    }
    return null;
  }

  // --- reading tool results ------------------------------------------------------------------
  const EXPORT_STATES = new Set(["done", "rendering", "waiting", "cancelled"]);
  const RENDERING_EXPORTS = new Set(["pending", "processing"]);
  const PLAYABLE_EXPORTS = new Set(["downloaded", "completed"]);

  function videoFrom(record) {
    const url = safeUrl(record.url);
    if (!url) return null;
    return {
      url,
      duration_s: num(record.duration_s),
      width: num(record.width),
      height: num(record.height),
      size_bytes: num(record.size_bytes),
      path: str(record.path),
    };
  }

  function applyExport(sc) {
    const projectUrl = safeUrl(sc.project_url);
    if (projectUrl) state.projectUrl = projectUrl;
    if (sc.status === "done") {
      const video = videoFrom(sc);
      if (video) state.video = video;
      const wasRendering = state.render !== null;
      state.render = null;
      if (wasRendering) state.live = { key: "exportDone" };
    } else if (sc.status === "cancelled") {
      state.render = null; // stopped: no file, nothing rendering any more
    } else {
      state.render = { state: sc.status, progress: clampPct(sc.progress) };
    }
  }

  function applyStatus(sc) {
    const project = isObj(sc.project) ? sc.project : null;
    if (project) {
      state.projectName = str(project.name) || state.projectName;
      const projectUrl = safeUrl(project.project_url);
      if (projectUrl) state.projectUrl = projectUrl;
    }
    if (typeof sc.exportable === "boolean") state.exportable = sc.exportable;
    if (typeof sc.upload_page === "boolean") state.uploadPage = sc.upload_page;
    if (!Array.isArray(sc.exports)) return;
    // Newest first; keep to this project's renders when the result says which that is.
    const projectId = project ? str(project.id) : null;
    const exports = sc.exports.filter(
      (e) => isObj(e) && (!projectId || !str(e.project_id) || e.project_id === projectId),
    );
    const latest = exports[0];
    const wasRendering = state.render !== null;
    state.render = null;
    if (latest && RENDERING_EXPORTS.has(latest.status)) {
      state.render = { state: "rendering", progress: clampPct(latest.progress) };
    } else if (latest && latest.status === "failed") {
      state.render = { state: "failed", error: str(latest.error) };
    }
    const playable = exports.find((e) => PLAYABLE_EXPORTS.has(e.status) && safeUrl(e.url));
    if (playable) state.video = videoFrom(playable);
    if (wasRendering && !state.render && playable) state.live = { key: "exportDone" };
  }

  function ingest(result) {
    if (!isObj(result)) return;
    state.loaded = true;
    if (result.isError) {
      state.error = { text: firstText(result) || t("toolFailed") };
      render();
      return;
    }
    const sc = result.structuredContent;
    if (!isObj(sc)) {
      render();
      return;
    }
    const given = normLang(sc.language);
    if (given) state.lang = given;
    if (isObj(sc.timeline)) state.timeline = sc.timeline;
    const isExport = EXPORT_STATES.has(sc.status) && !Array.isArray(sc.exports);
    if (isExport) applyExport(sc);
    else applyStatus(sc);
    if (state.render && (state.render.state === "rendering" || state.render.state === "waiting")) {
      schedulePoll();
    } else {
      stopPolling();
    }
    render();
  }

  // --- talking to the host -------------------------------------------------------------------
  const app = new App(
    { name: "ai-video-generator-free-music player", version: "1.0.0" },
    { availableDisplayModes: ["inline"] },
  );

  async function callTool(name, args) {
    state.busy = true;
    state.error = null;
    state.live = null;
    render();
    try {
      const result = await app.callServerTool({ name, arguments: args }, { timeout: CALL_TIMEOUT_MS });
      ingest(result);
      return result && !result.isError ? result : null;
    } catch {
      state.error = { key: "hostRefused" };
      return null;
    } finally {
      state.busy = false;
      render();
    }
  }

  function schedulePoll() {
    if (pollTimer !== null) return;
    if (polls >= MAX_POLLS) {
      state.live = { key: "pollStopped" };
      return;
    }
    pollTimer = setTimeout(poll, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = null;
    polls = 0;
  }
  async function poll() {
    pollTimer = null;
    if (!state.render || state.render.state === "failed") return;
    if (state.busy) {
      schedulePoll(); // a user's call is running; look again later
      return;
    }
    polls += 1;
    const result = await callTool("export", {});
    // A refusal (or a tool error) stops the polling: the user can press Refresh.
    if (!result) stopPolling();
  }

  async function onExport() {
    if (state.busy) return;
    stopPolling();
    await callTool("export", {});
  }
  async function onRefresh() {
    if (state.busy) return;
    linkRepair.triedFor.clear();
    linkRepair.attempts = 0;
    await callTool("status", {});
  }
  async function onOpen() {
    if (!state.projectUrl) return;
    state.error = null;
    try {
      const result = await app.openLink({ url: state.projectUrl });
      if (result && result.isError) state.error = { key: "linkRefused" };
    } catch {
      state.error = { key: "linkRefused" };
    }
    render();
  }

  // Hosted mode: `upload` without files answers a single-use upload page; the host opens it in
  // the user's browser, where they pick files on their device (this frame can't reach them).
  async function onAddPhotos() {
    if (state.busy) return;
    const result = await callTool("upload", {});
    const sc = result && isObj(result.structuredContent) ? result.structuredContent : null;
    const url = sc ? safeUrl(sc.upload_url) : null;
    if (!url) return; // the tool's error (if any) is shown already
    try {
      const opened = await app.openLink({ url });
      if (opened && opened.isError) state.error = { key: "uploadLinkRefused" };
      else state.live = { key: "addPhotosOpened" };
    } catch {
      state.error = { key: "uploadLinkRefused" };
    }
    render();
  }

  // A pre-signed link expires: ask the server (read-only `status`) for a fresh one, once
  // for each link that fails, and a bounded number of times until a video loads.
  async function onVideoError() {
    const failed = video.getAttribute("src");
    if (!failed || linkRepair.running) return;
    if (linkRepair.triedFor.has(failed) || linkRepair.attempts >= MAX_LINK_REFRESHES || state.busy) {
      showBlocked();
      return;
    }
    linkRepair.triedFor.add(failed);
    linkRepair.attempts += 1;
    linkRepair.running = true;
    state.live = { key: "linkExpired" };
    render();
    try {
      await callTool("status", {});
    } finally {
      linkRepair.running = false;
    }
    if (!state.video || state.video.url === failed) showBlocked();
  }

  // A fresh link didn't help: the host won't load it (a content policy that doesn't list its
  // origin, most often). "Ready" and "press Refresh" would both be wrong: say so, name the file
  // saved on the user's computer, and offer to open the link outside the chat.
  function showBlocked() {
    state.blocked = true;
    if (state.error && state.error.key === "videoFailed") state.error = null;
    render();
  }
  async function onOpenVideo() {
    const url = state.video && state.video.url;
    if (!url) return;
    state.error = null;
    try {
      const result = await app.openLink({ url });
      if (result && result.isError) state.error = { key: "linkRefused" };
    } catch {
      state.error = { key: "linkRefused" };
    }
    render();
  }

  // --- drawing -------------------------------------------------------------------------------
  const video = $("video");
  video.addEventListener("error", () => void onVideoError());
  video.addEventListener("loadeddata", () => {
    linkRepair.attempts = 0;
    state.blocked = false;
    if (state.error && state.error.key === "videoFailed") {
      state.error = null;
      render();
    }
  });
  video.addEventListener("loadedmetadata", () => {
    if (video.videoWidth && video.videoHeight) {
      video.style.aspectRatio = video.videoWidth + " / " + video.videoHeight;
    }
  });

  function setButton(button, label, disabled) {
    if (button.firstChild === null || button.dataset.label !== label) {
      button.textContent = label;
      button.dataset.label = label;
    }
    button.setAttribute("aria-disabled", disabled ? "true" : "false");
  }

  function renderHeader() {
    $("title").textContent = state.projectName || t("title");
    video.setAttribute("aria-label", state.projectName || t("title"));
    const badge = $("badge");
    let text = null;
    let kind = null;
    if (state.render && state.render.state === "rendering") {
      text = t("badgeRendering", { pct: state.render.progress ?? 0 });
      kind = "rendering";
    } else if (state.render && state.render.state === "waiting") {
      text = t("badgeWaiting");
      kind = "waiting";
    } else if (state.render && state.render.state === "failed") {
      text = t("badgeFailed");
      kind = "failed";
    } else if (state.video && state.blocked) {
      text = t("badgeSaved");
      kind = "saved";
    } else if (state.video) {
      text = t("badgeDone");
      kind = "done";
    }
    badge.hidden = text === null;
    badge.textContent = text || "";
    if (kind) badge.dataset.state = kind;
  }

  function renderStage() {
    const placeholder = $("placeholder");
    const placeholderText = $("placeholder-text");
    const progress = $("progress");
    if (state.video && video.getAttribute("src") !== state.video.url) state.blocked = false; // a new link
    const showVideo = state.video !== null && state.render === null && !state.blocked;
    if (state.video && video.getAttribute("src") !== state.video.url) {
      video.style.aspectRatio =
        state.video.width && state.video.height ? state.video.width + " / " + state.video.height : "";
      video.src = state.video.url;
    }
    video.hidden = !showVideo;
    placeholder.hidden = showVideo;
    progress.hidden = true;
    if (!showVideo) {
      let text;
      if (!state.loaded) text = t("loading");
      else if (state.render && state.render.state === "rendering") {
        const pct = state.render.progress ?? 0;
        text = t("rendering", { pct });
        progress.hidden = false;
        progress.value = pct;
        progress.setAttribute("aria-label", t("rendering", { pct }));
      } else if (state.render && state.render.state === "waiting") {
        text = t("waiting");
        progress.hidden = false;
        progress.removeAttribute("value"); // indeterminate
        progress.setAttribute("aria-label", t("waiting"));
      } else if (state.render && state.render.state === "failed") {
        text = state.render.error ? t("failedWith", { reason: state.render.error }) : t("failed");
      } else if (state.video && state.blocked) {
        const file = baseName(state.video.path);
        text = file ? t("videoBlocked", { file }) : t("videoBlockedNoFile");
      } else text = state.exportable ? t("noVideo") : t("noVideoNotExportable");
      placeholderText.textContent = text;
    }
    const facts = [];
    const v = state.video;
    if (v && showVideo) {
      if (v.duration_s) facts.push(fmtTime(v.duration_s));
      if (v.width && v.height) facts.push(v.width + "×" + v.height);
      if (v.size_bytes) facts.push(t("megabytes", { n: (v.size_bytes / 1e6).toFixed(1) }));
    }
    $("facts").hidden = facts.length === 0;
    $("facts").textContent = facts.join(" · ");
    // Only the file's name: the folder would show the user's account name.
    const file = v && showVideo ? baseName(v.path) : null;
    $("saved").hidden = !file;
    $("saved").textContent = file ? t("savedAs", { file }) : "";
  }

  function renderActions() {
    // While a render runs the app polls it; a second press would only ask the same thing.
    const rendering = state.render !== null && state.render.state !== "failed";
    setButton($("btn-export"), t("export"), state.busy || rendering || !state.exportable);
    setButton($("btn-refresh"), t("refresh"), state.busy);
    const openVideo = $("btn-video");
    openVideo.hidden = !(state.blocked && state.video && /^https?:/i.test(state.video.url || ""));
    if (!openVideo.hidden) setButton(openVideo, t("openVideo") + " ↗", false);
    const add = $("btn-add");
    add.hidden = !state.uploadPage;
    if (state.uploadPage) {
      setButton(add, t("addPhotos") + " ↗", state.busy);
      add.setAttribute("aria-label", t("addPhotos") + " " + t("addPhotosHint"));
    }
    const open = $("btn-open");
    open.hidden = !state.projectUrl;
    if (state.projectUrl) {
      setButton(open, t("open") + " ↗", false);
      open.setAttribute("aria-label", t("open") + " " + t("openHint"));
    }
    $("app").setAttribute("aria-busy", state.busy || !state.loaded ? "true" : "false");
  }

  function renderMessages() {
    const live = $("live");
    let liveText = "";
    // During a render the progress is on screen already: the line is then for screen readers.
    const rendering = state.render !== null && state.render.state === "rendering";
    if (rendering) liveText = t("rendering", { pct: state.render.progress ?? 0 });
    else if (state.busy) liveText = t("working");
    else if (state.live) liveText = t(state.live.key, state.live.params);
    if (live.textContent !== liveText) live.textContent = liveText;
    live.classList.toggle("sr-only", rendering);
    const error = $("error");
    const errorText = state.error ? (state.error.key ? t(state.error.key) : state.error.text) : "";
    error.hidden = !errorText;
    if (error.textContent !== errorText) error.textContent = errorText;
  }

  function trackLabel(track) {
    const given = str(track.label);
    if (given) return given;
    if (track.kind === "video" || track.kind === "image") return t("trackVideo");
    if (track.kind === "audio" || track.kind === "music") return t("trackAudio");
    if (track.kind === "text" || track.kind === "title" || track.kind === "subtitle") return t("trackText");
    return t("trackOther");
  }

  function niceStep(duration) {
    const steps = [0.5, 1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800];
    return steps.find((s) => duration / s <= 5) || 3600;
  }

  function renderTimeline() {
    const section = $("timeline");
    const empty = $("empty");
    const tl = state.timeline;
    const tracks = tl && Array.isArray(tl.tracks) ? tl.tracks.filter(isObj) : [];
    if (!tl || tracks.length === 0) {
      section.hidden = true;
      empty.hidden = !state.loaded || !tl;
      empty.textContent = t("emptyTimeline");
      return;
    }
    empty.hidden = true;
    section.hidden = false;
    $("timeline-title").textContent = t("timeline");

    // Length: the declared one, or the end of the last clip.
    let end = 0;
    for (const track of tracks) {
      for (const seg of Array.isArray(track.segments) ? track.segments : []) {
        if (isObj(seg)) end = Math.max(end, num(seg.end_s) || 0);
      }
    }
    const duration = num(tl.duration_s) || end || 1;
    const width = num(tl.width);
    const height = num(tl.height);
    const meta = [fmtTime(duration)];
    if (width && height) meta.push(width + "×" + height);
    const ratio = ratioOf(width, height, tl.aspect_ratio);
    if (ratio) meta.push(ratio);
    $("timeline-meta").textContent = meta.join(" · ");

    const lanes = $("lanes");
    lanes.replaceChildren();
    const list = $("cliplist-body");
    list.replaceChildren();
    let clipCount = 0;

    // Axis: ticks at a round step, the total length at the end.
    lanes.append(el("span", "lane-label"));
    const axis = el("div", "axis");
    const step = niceStep(duration);
    for (let at = 0; at < duration - step * 0.35; at += step) {
      const tick = el("span", "tick", fmtAxis(at));
      tick.style.left = (at / duration) * 100 + "%";
      axis.append(tick);
    }
    const last = el("span", "tick last", fmtAxis(duration));
    last.style.left = "100%";
    axis.append(last);
    lanes.append(axis);

    for (const track of tracks) {
      const kind = str(track.kind) || "other";
      const label = trackLabel(track);
      const segments = (Array.isArray(track.segments) ? track.segments : []).filter(isObj);
      const labelCell = el("span", "lane-label", label);
      labelCell.title = label;
      const lane = el("div", "lane");
      lane.dataset.kind = kind;
      lane.dataset.label = label;
      const heading = el("h3", null, label);
      const items = el("ol");
      for (const seg of segments) {
        const start = Math.max(0, num(seg.start_s) || 0);
        const stop = Math.max(start, num(seg.end_s) ?? start);
        const name = str(seg.name) || t("untitled");
        const volume = num(seg.volume);
        const params = { name, start: fmtTime(start), end: fmtTime(stop), vol: volume };
        const description = t(volume === null ? "clipRange" : "clipVolume", params);
        const shown = volume === null ? name : name + " · " + t("volumeShort", { vol: Math.round(volume) });
        const clip = el("div", "clip", shown);
        clip.dataset.kind = kind;
        clip.dataset.name = name;
        clip.title = description;
        clip.style.left = (Math.min(start, duration) / duration) * 100 + "%";
        clip.style.width = (Math.min(stop - start, duration - Math.min(start, duration)) / duration) * 100 + "%";
        lane.append(clip);
        items.append(el("li", null, description));
        clipCount += 1;
      }
      lanes.append(labelCell, lane);
      const total = num(track.segments_total);
      if (total !== null && total > segments.length) {
        const more = t("more", { n: total - segments.length });
        lanes.append(el("span", "lane-more", more));
        items.append(el("li", null, more));
      }
      list.append(heading, items);
    }
    $("cliplist-summary").textContent = t("clipList", { n: clipCount });
    markNarrowClips();
  }

  // A clip too narrow for its name shows only its colour; its name stays in the tooltip
  // and in the clip list.
  function markNarrowClips() {
    for (const clip of document.querySelectorAll(".clip")) {
      clip.classList.remove("narrow");
      if (clip.getBoundingClientRect().width < 22) clip.classList.add("narrow");
    }
  }

  function render() {
    document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
    renderHeader();
    renderStage();
    renderActions();
    renderMessages();
    renderTimeline();
  }

  // --- host context: theme, styles, locale ---------------------------------------------------
  function applyHostContext(ctx) {
    if (!isObj(ctx)) return;
    if (ctx.theme === "light" || ctx.theme === "dark") applyDocumentTheme(ctx.theme);
    if (isObj(ctx.styles) && isObj(ctx.styles.variables)) applyHostStyleVariables(ctx.styles.variables);
    if (isObj(ctx.styles) && isObj(ctx.styles.css) && str(ctx.styles.css.fonts)) {
      applyHostFonts(ctx.styles.css.fonts);
    }
    if (str(ctx.locale)) state.hostLocale = ctx.locale;
    if (isObj(ctx.safeAreaInsets)) {
      const i = ctx.safeAreaInsets;
      const main = $("app");
      for (const side of ["top", "right", "bottom", "left"]) {
        if (num(i[side])) main.style["padding" + side[0].toUpperCase() + side.slice(1)] = 14 + i[side] + "px";
      }
    }
  }

  $("btn-export").addEventListener("click", () => void onExport());
  $("btn-refresh").addEventListener("click", () => void onRefresh());
  $("btn-video").addEventListener("click", () => void onOpenVideo());
  $("btn-open").addEventListener("click", () => void onOpen());
  $("btn-add").addEventListener("click", () => void onAddPhotos());
  new ResizeObserver(() => markNarrowClips()).observe($("lanes"));

  app.ontoolresult = (result) => ingest(result);
  app.ontoolcancelled = () => {
    state.loaded = true;
    state.error = { key: "cancelled" };
    render();
  };
  app.onhostcontextchanged = (ctx) => {
    applyHostContext(ctx);
    render();
  };
  app.onteardown = async () => {
    stopPolling();
    return {};
  };

  render();
  app
    .connect(new PostMessageTransport(window.parent, window.parent))
    .then(() => {
      applyHostContext(app.getHostContext());
      render();
    })
    .catch(() => {
      state.loaded = true;
      state.error = { key: "hostRefused" };
      render();
    });
})();
