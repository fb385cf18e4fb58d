"""A video asked without the user's photos ("make a 6 sec video about acids, no photos", "不用我的
照片"): judged against the video track and the project's uploads (play27en S3: "not checked",
though the track tells whether any upload is on it).
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .files import upload_clips

_MEDIA = r"(?:photos?|pictures?|pics|images?|uploads?|own\s+(?:photos?|pics|images?))"
_EN_NO_PHOTOS = re.compile(
    r"(?i)^\s*(?:(?:and|but|just|also|please|pls)\s+)*(?:no|without(?:\s+any)?|none\s+of|zero"
    r"|(?:don'?t|do\s+not)\s+use(?:\s+any)?(?:\s+of)?|not\s+(?:from|using))\s+(?:(?:my|the|our|any)\s+)*"
    + _MEDIA
    + r"(?:\s+(?:please|pls|at\s+all|this\s+time))*\s*[.!]?\s*$"
)
_ZH_NO_PHOTOS = re.compile(
    r"^(?:也|就|先)?(?:不要|不用|别用|不需要|不放|别放)(?:我的|我上传的|上传的)?(?:照片|图片|素材|图)(?:了|吧)?\s*[。！]?\s*$"
)


def read_no_photos(clauses: list[str]) -> bool:
    """A clause that asks for no photos of the user's, said plainly."""
    return any(_EN_NO_PHOTOS.match(c) or _ZH_NO_PHOTOS.match(c.strip()) for c in clauses)


def photos_left_out(
    no_photos: bool, tl: Timeline, uploaded: tuple[list[str], int] | None
) -> dict[str, Any] | None:
    """ "No photos", judged: ``met`` when no upload of the project is a clip on the video track (a
    project with none meets it). None when it can't be told (some uploads' names unknown, or the
    video track read in part)."""
    if not no_photos or uploaded is None or not tl.tracks_total:
        return None
    names, total = uploaded
    if total > len(names):
        return None
    if any(tr.kind == "video" and tr.segments_total != len(tr.segments) for tr in tl.tracks):
        return None  # a track read in part: an upload may be among the clips not listed
    on = upload_clips(tl, names)
    return {"kind": "no_photos", "names": on[:5], "met": not on}
