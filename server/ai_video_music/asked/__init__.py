"""What a request verifiably asks of the timeline, from the user's words only, and whether the
timeline after the turn has it: no music, a length, a shape, a music volume (a limit or a level),
no text, which clip comes first or last, where a quoted text goes, a quoted text gone. Some asks
are judged on the change, the timeline before against the one after: the music quieter or louder,
the opening title kept.

An agent that ignores "no music" (and adds a track anyway) answers as if all went well; only the
timeline tells. These checks are deliberately narrow: a constraint is read only where the words
leave no doubt (a plain clause such as "no music", "6 seconds", "square", "不要音乐", "6 秒",
"方形"), never inside quoted text (a caption), a question, a condition, a negation of the
constraint itself, or a time span ("the first 3 seconds", "每张 2 秒"). Words that match nothing
ask nothing: a missed constraint costs less than a false alarm.
"""

from __future__ import annotations

# Split by concern; dependency order: base, words, the readers per concern (music, texts,
# orders, lengths, frames, kept, remarks), reading (read), checks, changes, files.
from .base import _QUOTED, Asked, Shape
from .changes import _all_segments, length_unasked, unasked
from .checks import (
    frame_kept,
    met,
    music_kept,
    music_swapped,
    name_shown,
    order_judged,
    same_music,
    sequence_item,
    sequence_judged,
    text_on_clip,
    title_kept,
    title_placed,
    unmet,
    unsettled,
    volume_moved,
)
from .files import (
    _base,
    clips_to_go,
    files_asked,
    files_named,
    files_on_timeline,
    files_wanted,
    no_such_file,
    only_files,
    speaks_of_own_media,
    uploads_left_out,
    uploads_on_timeline,
)
from .frames import shape_of
from .kept import NOT_THERE, removed_gone, texts_stay, title_dropped
from .lengths import kept_length
from .music import ZH_VIDEO_NAMED
from .nophotos import photos_left_out
from .orders import clips_asked
from .reading import (
    NO_CHANGE_WORDS,
    TOPIC_FIELDS,
    about_the_volume,
    asks_for_a_video,
    bare_level,
    length_of_it,
    nothing_changed,
    only_questions,
    read,
    second_frame,
)
from .remarks import ask_topics, remark, rights_question, withdrawal, withdrawn
from .swaps import clips_swapped
from .texts import (
    PLACE,
    WHOLE_TIME,
    in_clip_names,
    moved_quotes,
    not_moved,
    present,
    time_only,
    wanted_quotes,
)
from .words import (
    ABBREVIATION,
    _asides,
    _is_request,
    _names_clip,
    _zh_gaps,
    _zh_names,
    zh_asks_whether,
    zh_percents,
    zh_slips,
)

# Every name callers and tests reach through ``asked.``, private ones included.
__all__ = [
    "ABBREVIATION",
    "NOT_THERE",
    "NO_CHANGE_WORDS",
    "PLACE",
    "TOPIC_FIELDS",
    "WHOLE_TIME",
    "ZH_VIDEO_NAMED",
    "_QUOTED",
    "Asked",
    "Shape",
    "_all_segments",
    "_asides",
    "_base",
    "_is_request",
    "_names_clip",
    "_zh_gaps",
    "_zh_names",
    "about_the_volume",
    "ask_topics",
    "asks_for_a_video",
    "bare_level",
    "clips_asked",
    "clips_swapped",
    "clips_to_go",
    "files_asked",
    "files_named",
    "files_on_timeline",
    "files_wanted",
    "frame_kept",
    "in_clip_names",
    "kept_length",
    "length_of_it",
    "length_unasked",
    "met",
    "moved_quotes",
    "music_kept",
    "music_swapped",
    "name_shown",
    "no_such_file",
    "not_moved",
    "nothing_changed",
    "only_files",
    "only_questions",
    "order_judged",
    "photos_left_out",
    "present",
    "read",
    "remark",
    "removed_gone",
    "rights_question",
    "same_music",
    "second_frame",
    "sequence_item",
    "sequence_judged",
    "shape_of",
    "speaks_of_own_media",
    "text_on_clip",
    "texts_stay",
    "time_only",
    "title_dropped",
    "title_kept",
    "title_placed",
    "unasked",
    "unmet",
    "unsettled",
    "uploads_left_out",
    "uploads_on_timeline",
    "volume_moved",
    "wanted_quotes",
    "withdrawal",
    "withdrawn",
    "zh_asks_whether",
    "zh_percents",
    "zh_slips",
]
