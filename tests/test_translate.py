"""Each GUI-wording mapping: the rewrite and the action it asks for."""

from __future__ import annotations

import pytest

from ai_video_music.router import Action
from ai_video_music.translate import translate


@pytest.mark.parametrize(
    ("text", "expected_text", "actions"),
    [
        ("Click the Export button to download.", "Ask me to export to download.", (Action.EXPORT,)),
        ('Press "Export" when ready', "Ask me to export when ready", (Action.EXPORT,)),
        ("点击导出按钮即可下载。", "告诉我导出即可下载。", (Action.EXPORT,)),
        ("Click Upload to add clips", "Send me the files to upload to add clips", (Action.UPLOAD,)),
        ("Click Credits to check", "Ask me for your credits to check", (Action.CREDITS,)),
        ("Open the timeline panel to review.", "Check the timeline to review.", (Action.STATUS,)),
        ("打开时间线面板查看", "查看时间线查看", (Action.STATUS,)),
        ("Preview it in the timeline.", "Check the timeline.", (Action.STATUS,)),
        (
            "Drag it on the timeline to move it.",
            'Tell me where to move it (for example "move it to 5s").',
            (Action.AGENT,),
        ),
        ("You can drag and drop clips.", "You can tell me how to rearrange clips.", (Action.AGENT,)),
        ("拖拽片段调整顺序", "告诉我如何调整片段调整顺序", (Action.AGENT,)),
        ("Click Settings to change it", "Ask me to use Settings to change it", ()),
        ("Then Export it.", "Then Export it.", (Action.EXPORT,)),
        ("Nice clip!", "Nice clip!", ()),
    ],
)
def test_mapping(text: str, expected_text: str, actions: tuple[Action, ...]) -> None:
    out = translate(text)
    assert out.text == expected_text
    assert out.actions == actions


def test_no_gui_words_survive_a_typical_reply() -> None:
    reply = "Done! Preview it in the timeline, drag the title to move it, then click the Export button."
    out = translate(reply).text.lower()
    assert "click" not in out and "drag" not in out and "preview it in the timeline" not in out
