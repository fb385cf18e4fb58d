"""The ``nemo://exports/{name}`` resource: a saved video's facts and a link to it, never its bytes.

An export may be gigabytes; base64 inside one protocol message is 4/3 of that and more than
some clients accept at all (the official TypeScript client drops a connection past 10 MiB). So
the resource is a small JSON document: the file's facts, as verified when it was saved, and a
``file://`` link to open it with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .store import Store

MAX_ROWS_SEARCHED = 200  # the renders looked through for the file's facts (newest first)


class NoSuchExportError(LookupError):
    """No video by that name in the output folder (or a name that would leave it)."""


def export_path(folder: Path, name: str) -> Path:
    """Only a plain ``.mp4`` name of a regular file inside the output folder: a planted path or
    link can't make another file readable."""
    folder = folder.resolve()
    path = (folder / name).resolve()
    if "/" in name or "\\" in name or path.parent != folder or path.suffix != ".mp4" or not path.is_file():
        raise NoSuchExportError(name)
    return path


def describe_export(store: Store, folder: Path, name: str) -> str:
    """The resource's text: JSON with the file's link and facts (a few hundred bytes)."""
    path = export_path(folder, name)
    facts: dict[str, Any] = {
        "name": path.name,
        "uri": path.as_uri(),
        "path": str(path),
        "mime_type": "video/mp4",
        "size_bytes": path.stat().st_size,
    }
    rows, _ = store.renders_page(0, MAX_ROWS_SEARCHED)
    for rec in rows:
        if rec.local_path and Path(rec.local_path).name == path.name:
            facts.update(
                render_id=rec.id,
                duration_s=rec.duration_s,
                width=rec.width,
                height=rec.height,
                verified=rec.status == "downloaded",
            )
            break
    return json.dumps(facts, ensure_ascii=False)
