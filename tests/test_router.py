"""The router routes only what it is sure of: table cases in English and Chinese, and a labelled
corpus of realistic sentences (tests/router_corpus.tsv, tuned on; tests/router_heldout.tsv, never
tuned on) scored per action. A misroute that would spend credits (a question, or a free command,
sent to the agent) or act unasked (an edit run as export, cancel, new project or upload) fails."""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_video_music.router import Action, Decision, extract_media, route

HERE = Path(__file__).parent
ACTS = {Action.EXPORT, Action.CANCEL, Action.NEW_PROJECT, Action.UPLOAD}  # change something at once


class Risk(StrEnum):
    SPEND = "spend"  # credits spent on a question or on a free command
    UNASKED = "unasked"  # an action the user didn't ask for
    MISS = "miss"  # the request didn't reach its action, and nothing was spent or done


@dataclass(frozen=True)
class Row:
    sentence: str
    action: Action
    new_project: bool
    risk: Risk

    @staticmethod
    def parse(line: str) -> Row:
        sentence, expected, risk = line.rstrip("\n").split("\t")
        action, _, new = expected.partition("+")
        assert new in ("", "new"), line
        return Row(sentence, Action(action), new == "new" or action == Action.NEW_PROJECT, Risk(risk))


def load(name: str) -> list[Row]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [Row.parse(line) for line in lines if line.strip() and not line.startswith("#")]


def misroute(row: Row, got: Decision) -> Risk | None:
    """What routing ``row`` as ``got`` does wrong, judged by the harm done (not by the row's tag)."""
    if got.action is row.action and got.new_project == row.new_project:
        return None
    if got.action is Action.AGENT and row.action is not Action.AGENT:
        return Risk.SPEND
    if (got.action in ACTS and got.action is not row.action) or (got.new_project and not row.new_project):
        return Risk.UNASKED
    return Risk.MISS


@dataclass(frozen=True)
class Score:
    rows: list[Row]
    got: list[Decision]

    @staticmethod
    def of(rows: list[Row]) -> Score:
        return Score(rows, [route(r.sentence) for r in rows])

    def failures(self, *risks: Risk) -> list[tuple[Risk, Row, Decision]]:
        out = [(misroute(r, g), r, g) for r, g in zip(self.rows, self.got, strict=True)]
        return [(k, r, g) for k, r, g in out if k is not None and k in risks]

    def recall(self, action: Action) -> float:
        pairs = [(r, g) for r, g in zip(self.rows, self.got, strict=True) if r.action is action]
        return sum(g.action is action for _, g in pairs) / len(pairs) if pairs else 1.0

    def precision(self, action: Action) -> float:
        pairs = [(r, g) for r, g in zip(self.rows, self.got, strict=True) if g.action is action]
        return sum(r.action is action for r, _ in pairs) / len(pairs) if pairs else 1.0

    def report(self) -> str:
        right = sum(misroute(r, g) is None for r, g in zip(self.rows, self.got, strict=True))
        lines = [f"{right}/{len(self.rows)} routed as labelled"]
        for action in Action:
            n = sum(r.action is action for r in self.rows)
            lines.append(
                f"  {action.value:12} n={n:3}  "
                f"precision {self.precision(action):.2f}  recall {self.recall(action):.2f}"
            )
        for risk, row, got in self.failures(*Risk):
            new = " (new project)" if got.new_project else ""
            lines.append(
                f"  {risk.value:8} {row.sentence!r} → {got.action.value}{new}, want {row.action.value}"
            )
        return "\n".join(lines)


# --- tables ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("export", Action.EXPORT),
        ("Download it please", Action.EXPORT),
        ("send me the video", Action.EXPORT),
        ("send it to me", Action.EXPORT),
        ("导出", Action.EXPORT),
        ("帮我导出视频", Action.EXPORT),
        ("发给我", Action.EXPORT),
        ("把视频发我", Action.EXPORT),
        ("how many credits do I have?", Action.CREDITS),
        ("balance", Action.CREDITS),
        ("积分", Action.CREDITS),
        ("我的余额是多少", Action.CREDITS),
        ("status", Action.STATUS),
        ("show tracks", Action.STATUS),
        ("状态", Action.STATUS),
        ("upload /home/ana/a.jpg", Action.UPLOAD),
        ("上传 /tmp/b.mp4", Action.UPLOAD),
        ("cancel that", Action.CANCEL),
        ("取消导出", Action.CANCEL),
        ("start over", Action.NEW_PROJECT),
        ("新项目", Action.NEW_PROJECT),
        ("make a 30-second video from my photos", Action.AGENT),
        ("add upbeat background music", Action.AGENT),
        ("给视频加上配乐", Action.AGENT),
    ],
)
def test_each_row_routes(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.parametrize(
    "prompt",
    [
        "add music and then export",
        "make a video and download it",
        "trim the intro, then send me the video",
        "添加音乐然后导出",
        "upload these and make a video /tmp/a.jpg",
        "generate a status update video",
    ],
)
def test_a_prompt_that_also_asks_for_an_edit_goes_to_the_agent(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT


@pytest.mark.parametrize(
    "prompt",
    [
        'add a "Download now" caption',
        "render it in watercolor style",
        "stop the music at 10 seconds",
        "before you export, lower the music",
        "don't export yet, I want a different song",
        "先别导出，再加点音乐",
        "导出之前把音乐调小",
        "roll the credits at the end",
        "取消背景音乐",
    ],
)
def test_a_command_word_inside_an_edit_is_not_that_command(prompt: str) -> None:
    decision = route(prompt)
    assert decision.action is Action.AGENT and not decision.new_project


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("don't export yet", Action.ASK),
        ("先别导出", Action.ASK),
        ("export after this", Action.ASK),
        ("what happens if I export now?", Action.ASK),
        ("现在导出会怎么样？", Action.ASK),
        ("how many credits will I have after this change?", Action.CREDITS),
        ("改完之后我还剩多少积分？", Action.CREDITS),
        ("did it work?", Action.STATUS),
        ("导出好了吗？", Action.STATUS),
        ("thanks!", Action.ASK),
    ],
)
def test_a_question_or_a_held_command_spends_nothing_and_does_nothing(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.parametrize(
    "prompt",
    ["can you make the music quieter?", "Could you trim the first 3 seconds?", "能不能把音乐调小一点？"],
)
def test_a_polite_edit_request_goes_to_the_agent(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT


def test_a_new_video_with_a_subject_is_an_agent_turn_in_a_new_project() -> None:
    assert route("New video: a 10-second clip from this photo") == Decision(Action.AGENT, new_project=True)
    assert route("新视频：用这张照片做一个10秒的视频").new_project
    assert not route("make a new intro").new_project
    assert not route("don't start a new project, just make this one shorter").new_project


@pytest.mark.parametrize(
    "interjection",
    ["ah", "ah,", "oh", "oh wait,", "hmm", "um,", "uh", "well,", "ok", "okay,", "so", "right,"],
)
@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("never mind, forget that", Action.CANCEL),
        ("never mind", Action.CANCEL),
        ("forget it", Action.CANCEL),
        ("cancel that", Action.CANCEL),
        ("export it", Action.EXPORT),
        ("how many credits do I have left?", Action.CREDITS),
        ("make the music quieter", Action.AGENT),
        ("don't export yet", Action.ASK),
    ],
)
def test_a_leading_interjection_never_changes_the_route(
    interjection: str, prompt: str, action: Action
) -> None:
    # Play-test 14 (069, 072, 077): "ah never mind, forget that" was a paid question, not a cancel.
    assert route(prompt).action is action
    assert route(f"{interjection} {prompt}").action is action


@pytest.mark.parametrize(
    "interjection", ["啊", "啊，", "哎，", "哎呀", "嗯", "嗯，", "呃，", "哦，", "好吧，"]
)
@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("算了", Action.CANCEL),
        ("取消吧", Action.CANCEL),
        ("这个不要了", Action.CANCEL),
        ("导出吧", Action.EXPORT),
        ("积分还剩多少？", Action.CREDITS),
        ("把音乐调小一点", Action.AGENT),
        ("先别导出", Action.ASK),
    ],
)
def test_a_leading_chinese_interjection_never_changes_the_route(
    interjection: str, prompt: str, action: Action
) -> None:
    assert route(prompt).action is action
    assert route(f"{interjection}{prompt}").action is action


def test_words_that_only_look_like_interjections_keep_their_meaning() -> None:
    assert route("no music").action is Action.AGENT
    assert route("no cancel").action is not Action.CANCEL
    assert route("right after the intro add a title").action is Action.AGENT
    assert route("well done, thanks").action is Action.ASK


def test_keywords_match_whole_words_only() -> None:
    assert route("make a video about exporters").action is Action.AGENT
    assert route("the credit-card ad").action is not Action.CREDITS
    assert route("帮我export一下").action is Action.EXPORT


def test_upload_carries_the_paths_and_links_it_names() -> None:
    decision = route(
        "upload ~/Pictures/cat.png ./clip.MOV C:\\Users\\ana\\song.mp3 https://x.io/v.mp4, please"
    )
    assert decision.action is Action.UPLOAD
    assert decision.files == ("~/Pictures/cat.png", "./clip.MOV", "C:\\Users\\ana\\song.mp3")
    assert decision.urls == ("https://x.io/v.mp4",)


def test_words_in_a_path_are_not_read_as_commands() -> None:
    assert route("upload /tmp/export/status-credits.mp4").action is Action.UPLOAD


def test_extract_media_finds_nothing_in_plain_text() -> None:
    assert extract_media("upload my photos") == ((), ())


# --- the corpus --------------------------------------------------------------------------------


@functools.cache
def scored(corpus: str) -> Score:
    """The corpus routed, once per process that runs a test of it (not at collection: each xdist
    worker collects every module, and routing the corpus is most of this module's CPU)."""
    return Score.of(load(f"router_{corpus}.tsv"))


@pytest.mark.parametrize("corpus", ["corpus", "heldout"])
def test_no_sentence_spends_credits_or_acts_unasked(corpus: str) -> None:
    score = scored(corpus)
    harmful = len(score.failures(Risk.SPEND, Risk.UNASKED))
    assert harmful == 0, score.report()


# Misses cost nothing but leave the user to ask again; each action keeps most of its sentences.
# Held out, each batch measured once when it was written, before any fix it revealed:
#   batch 1 (119): 117 right, 0 spend, 0 unasked (the old keyword router: 68 right, 33 spend, 14 unasked);
#   batch 2 (99): 90 right, 1 spend, 1 unasked, 7 misses; fixed as classes with new tuned-on sentences;
#   batch 3 (46): 44 right, 0 spend, 0 unasked, 2 misses; left as they are.
# Later blind batches, each measured once and then tuned on: long, messy messages (52) scored
# 34 right, 8 spend, 0 unasked; after those fixes, unusual phrasings (61) scored 46 right, 0 spend,
# 0 unasked, 15 misses (to ASK). Play-test 14 (zh), 20 written blind after its fixes: 19 right, 1 spend
# (the old router: 9 right, 9 spend, 2 misses). Expect real sentences to find more.
@pytest.mark.parametrize(("corpus", "floor"), [("corpus", 0.95), ("heldout", 0.9)], ids=["corpus", "heldout"])
def test_each_action_keeps_its_recall(corpus: str, floor: float) -> None:
    score = scored(corpus)
    low = [a for a in Action if score.recall(a) < floor]
    assert not low, f"recall under {floor} for {low}\n{score.report()}"


def test_the_corpus_is_large_bilingual_and_holds_a_quarter_out() -> None:
    held_out = load("router_heldout.tsv")
    rows = load("router_corpus.tsv") + held_out
    chinese = sum(any("\u4e00" <= c <= "\u9fff" for c in r.sentence) for r in rows)
    assert len(rows) >= 400 and 0.35 <= chinese / len(rows) <= 0.65
    assert 0.2 <= len(held_out) / len(rows) <= 0.3
    assert len({r.sentence for r in rows}) == len(rows), "no sentence counted twice"
    per_action = Counter(r.action for r in rows)
    assert all(per_action[a] >= 10 for a in Action), per_action
    assert Counter(r.risk for r in rows)[Risk.UNASKED] >= 60, "traps: command words inside edits"


COMMAND_ROWS = [
    r
    for r in load("router_corpus.tsv")
    if r.action in ACTS | {Action.CREDITS, Action.STATUS} and '"' not in r.sentence
]


@pytest.mark.parametrize("row", COMMAND_ROWS, ids=lambda r: r.sentence)
def test_any_command_quoted_as_on_screen_text_is_an_edit(row: Row) -> None:
    for wrapped in (f'add a caption that says "{row.sentence}"', f"加一句字幕「{row.sentence}」"):
        decision = route(wrapped)
        assert decision.action is Action.AGENT and not decision.new_project, wrapped


@given(st.text(max_size=300))
def test_any_text_gets_a_decision(text: str) -> None:
    assert route(text).action in Action  # never raises, whatever is typed


# --- everyday Chinese (play-test 14) --------------------------------------------------------


@pytest.mark.parametrize("opener", ["哎", "啊", "嗯", "等一下", "对了", "哦不对", "哎等一下", "啊对了"])
@pytest.mark.parametrize(
    "said", ["先别导出", "把音乐调到20%", "导出吧", "还剩多少积分？", "取消吧", "进度怎么样了？", "先别导了"]
)
def test_a_leading_filler_never_changes_the_route(opener: str, said: str) -> None:
    assert route(f"{opener}，{said}") == route(said)


@pytest.mark.parametrize(
    ("prompt", "aside"),
    [
        ("哎等一下，先别导了，我还想再改改", ("我还想再改改",)),
        ("先别导了", ()),
        ("不导了", ()),
        ("等会再导", ()),
        ("wait, don't export yet, I still want to make some changes", ("i still want to make some changes",)),
        # The edit under way pointed at, no change named: a hold, never a paid request (play18zh F1).
        ("改完先别导出哈", ()),
        ("改完了先别导出", ()),
        ("弄好了，先别导出", ()),
        ("等你改好了先别导出", ()),
        ("done editing, don't export yet", ()),
        ("after the changes don't export", ()),
        ("after the changes, don't export yet", ()),
        ("once you're done, don't export it", ()),
    ],
)
def test_an_export_held_in_everyday_words_is_held_for_free(prompt: str, aside: tuple[str, ...]) -> None:
    decision = route(prompt)
    assert decision.action is Action.ASK and decision.only_held
    assert decision.held_back == {Action.EXPORT} and decision.aside == aside


@pytest.mark.parametrize("prompt", ["导入照片", "导演的名字加在片尾", "要不导出吧", "改完再导"])
def test_dao_is_export_only_where_it_stands_for_it(prompt: str) -> None:
    assert not route(prompt).only_held


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("算了算了，字幕先别加了", Action.CANCEL),
        ("字幕先别加了", Action.CANCEL),
        ("算了，不用加了", Action.CANCEL),
        ("字幕不用加了", Action.ASK),  # as often a "no" to an offer: cancels nothing (an export) alone
        ("字幕先别加了，把音乐调小", Action.AGENT),
        ("别加太多特效", Action.AGENT),
        ("不要加字幕", Action.AGENT),
    ],
)
def test_a_change_withdrawn_in_everyday_words_is_no_new_request(prompt: str, action: Action) -> None:
    assert route(prompt).action is action
