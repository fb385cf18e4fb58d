"""The hosted server's HTML pages: one small template, both languages, light and dark.

Everything variable is escaped; the page loads nothing from elsewhere (no scripts at all), so
its Content-Security-Policy can forbid everything but its own inline style.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from ..messages import Lang, parse_language, t

STYLE = """
:root { color-scheme: light dark; --bg: #f7f7f8; --card: #fff; --fg: #1b1b1f; --muted: #5b5b66;
  --accent: #4f46e5; --accent-fg: #fff; --border: #d4d4dc; --bad: #b42318; --bad-bg: #fef3f2; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #111114; --card: #1c1c21; --fg: #ececf1; --muted: #a3a3b2; --accent: #8b85ff;
    --accent-fg: #111114; --border: #3a3a44; --bad: #ff8a80; --bad-bg: #3b1714; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif; }
main { width: min(30rem, 100% - 2rem); background: var(--card); border: 1px solid var(--border);
  border-radius: 12px; padding: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
p { color: var(--muted); }
label { display: block; font-weight: 600; margin: 1.2rem 0 .4rem; }
input[type=file] { width: 100%; padding: .6rem; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px dashed var(--border); border-radius: 8px; }
.hint { font-size: .9rem; margin: .4rem 0 0; }
ul { padding-left: 1.2rem; }
input[type=password] { width: 100%; padding: .7rem; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 8px; }
button { margin-top: 1rem; width: 100%; padding: .75rem; font: inherit; font-weight: 600; border: 0;
  border-radius: 8px; background: var(--accent); color: var(--accent-fg); cursor: pointer; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button.secondary { background: transparent; color: var(--accent); border: 2px solid var(--accent); }
hr { border: 0; border-top: 1px solid var(--border); margin: 1.5rem 0 0; }
.alert { color: var(--bad); background: var(--bad-bg); border-radius: 8px; padding: .7rem; }
.ok { color: var(--fg); }
nav { display: flex; justify-content: space-between; gap: 1rem; margin-top: 1.5rem; font-size: .9rem; }
"""

HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    # The sign-in URL carries a request id: no referrer leaves the site. (Not "no-referrer": then
    # browsers send "Origin: null" with the form, and the CSRF check can't tell it's ours.)
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def page_language(request: Request) -> Lang:
    """``?lang=`` (the switch), else the form's ``lang``, else the browser's first choice."""
    chosen = parse_language(request.query_params.get("lang"))
    if chosen:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        found = parse_language(part.split(";")[0])
        if found:
            return found
    return "en"


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class ButtonForm:
    """A second way on the same page: a paragraph and one button that posts hidden fields."""

    action: str
    hidden: Sequence[Field]
    text: str
    label: str


def render(
    request: Request,
    lang: Lang,
    *,
    title_key: str,
    paragraphs: Sequence[str] = (),
    alert: str | None = None,
    notice: str | None = None,
    form_action: str | None = None,
    hidden: Sequence[Field] = (),
    submit_key: str = "hosted.signin.submit",
    links: Sequence[tuple[str, str]] = (),
    status: int = 200,
    cookies: Sequence[tuple[str, str]] = (),
    secure: bool = True,
    keep: Mapping[str, str] | None = None,
    input_name: str = "nemo_token",
    input_label_key: str = "hosted.signin.token_label",
    extra: Sequence[ButtonForm] = (),
    inputs: str | None = None,
    multipart: bool = False,
    items: Sequence[str] = (),
) -> HTMLResponse:
    """One page: a heading, text, an optional error (announced to screen readers), a form.
    ``keep``: what the language switch must carry over (a posted form's request id).
    ``inputs``: the form's visible fields as HTML, already escaped (default: one secret field,
    ``input_name``, labelled by the catalogue's ``input_label_key``); ``extra``: more one-button forms;
    ``multipart``: the form sends files; ``items``: a list shown after the notice."""
    other: Lang = "zh" if lang == "en" else "en"
    query = dict(request.query_params) | dict(keep or {}) | {"lang": other}
    switch = f"{request.url.path}?{urlencode(query)}"
    body = [f"<h1>{escape(t(title_key, lang))}</h1>"]
    body += [f"<p>{escape(text)}</p>" for text in paragraphs]
    if alert:
        body.append(f'<p class="alert" role="alert" id="problem">{escape(alert)}</p>')
    if notice:
        body.append(f'<p class="ok" role="status">{escape(notice)}</p>')
    if items:
        body.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
    if form_action:
        fields = "".join(
            f'<input type="hidden" name="{escape(f.name)}" value="{escape(f.value)}">'
            for f in (*hidden, Field("lang", lang))
        )
        described = ' aria-invalid="true" aria-describedby="problem"' if alert else ""
        if inputs is None:
            inputs = (
                f'<label for="{input_name}">{escape(t(input_label_key, lang))}</label>'
                f'<input type="password" id="{input_name}" name="{input_name}" required autofocus '
                f'autocomplete="off" spellcheck="false"{described}>'
            )
        enctype = ' enctype="multipart/form-data"' if multipart else ""
        body.append(
            f'<form method="post" action="{escape(form_action)}"{enctype}>{fields}{inputs}'
            f'<button type="submit">{escape(t(submit_key, lang))}</button></form>'
        )
    for form in extra:
        fields = "".join(
            f'<input type="hidden" name="{escape(f.name)}" value="{escape(f.value)}">'
            for f in (*form.hidden, Field("lang", lang))
        )
        body.append(
            f"<hr><p>{escape(form.text)}</p>"
            f'<form method="post" action="{escape(form.action)}">{fields}'
            f'<button type="submit" class="secondary">{escape(form.label)}</button></form>'
        )
    nav = "".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in links)
    label, other_name = escape(t("hosted.lang.label", lang)), escape(t("hosted.lang.other", lang))
    body.append(
        f'<nav>{nav}<a href="{escape(switch)}" hreflang="{"zh-CN" if other == "zh" else "en"}" '
        f'aria-label="{label}: {other_name}">{other_name}</a></nav>'
    )
    html = (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(t(title_key, lang))}</title><style>{STYLE}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>"
    )
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    for name, value in cookies:
        response.set_cookie(name, value, httponly=True, samesite="strict", secure=secure, path="/")
    return response
