"""The simulator keeps the backend contract and its agent understands a conversation (EN and 中文)."""

from __future__ import annotations

import json
import math
import time
import uuid
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import av
import httpx
import numpy as np
import pytest
from PIL import Image

from ai_video_music import cli
from ai_video_music.simulator import Envelope, ProgressStyle, SimConfig, Simulator, SseFormat, UploadShape
from ai_video_music.simulator.agent import plan_turn
from ai_video_music.simulator.progress import completed, reported, submitted

from .conftest import fast_config, inject
from .variants import ALL_VARIANTS, AXES, SIM_VARIANTS, variant_params

ATTRIBUTION = {"X-Skill-Source": "t", "X-Skill-Version": "1", "X-Skill-Platform": "unknown"}


class Api:
    """The contract, spoken with plain httpx: what any client would send."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.http = httpx.Client(base_url=sim.base_url, timeout=30)
        answer = self.http.post("/api/auth/anonymous-token", headers={"X-Client-Id": str(uuid.uuid4())})
        self.identity = answer.json()["data"]
        self.headers = {"Authorization": f"Bearer {self.identity['token']}", **ATTRIBUTION}
        self.session = self.post("/api/tasks/me/with-session/nemo_agent", {"language": "en"})["data"]
        self.sid = self.session["session_id"]

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.http.post(path, json=body, headers=self.headers).json())

    def get(self, path: str) -> dict[str, Any]:
        return dict(self.http.get(path, headers=self.headers).json())

    def upload(self, *paths: Path) -> list[dict[str, Any]]:
        files = [("files", (p.name, p.read_bytes())) for p in paths]
        answer = self.http.post(
            f"/api/upload-video/nemo_agent/me/{self.sid}", files=files, headers=self.headers
        )
        return list(answer.json()["data"]["files"])

    def events(self, text: str) -> Iterator[dict[str, Any]]:
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": self.sid}
        body["new_message"] = {"parts": [{"text": text}]}
        with self.http.stream("POST", "/run_sse", json=body, headers=self.headers) as response:
            assert response.status_code == 200, response.read()
            for line in response.iter_lines():
                if line.startswith("data:") and line[5:].strip():
                    event = json.loads(line[5:])
                    if event.get("type") != "heartbeat":
                        yield event

    def say(self, text: str) -> str:
        return "".join(e.get("content", "") for e in self.events(text) if e.get("type") == "text")

    def state(self) -> dict[str, Any]:
        return dict(self.get(f"/api/state/nemo_agent/me/{self.sid}/latest")["data"]["state"])

    def credits(self) -> float:
        return float(self.get("/api/credits/balance/simple")["data"]["available"])

    def render(self, draft: dict[str, Any] | None = None, job: str = "render_t") -> dict[str, Any]:
        draft = draft or self.state()["draft"]
        return self.post("/api/render/proxy/lambda", {"id": job, "sessionId": self.sid, "draft": draft})

    def rendered(self, dest: Path, draft: dict[str, Any] | None = None, job: str = "render_t") -> Path:
        """Render, wait for the render worker, download."""
        self.render(draft, job)
        assert self.sim.state.renders[job].finished.wait(60)
        data = self.get(f"/api/render/proxy/lambda/{job}")["data"]
        assert data["status"] == "completed", data
        dest.write_bytes(httpx.get(data["outputUrl"]).content)
        return dest


@pytest.fixture
def api(sim: Simulator) -> Iterator[Api]:
    sim.configure(render_seconds=0, agent_seconds=0.02)  # no waiting: only behaviour is tested here
    client = Api(sim)
    yield client
    client.http.close()


def tracks(draft: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    return {t["tt"]: t["sg"] for t in draft["t"]}


def photo(path: Path, colour: tuple[int, int, int]) -> Path:
    image = Image.new("RGB", (400, 300), colour)
    for x in range(0, 400, 40):  # some texture, so the pan shows
        image.paste((255, 255, 255), (x, 0, x + 4, 300))
    image.save(path)
    return path


def clip(path: Path, colour: tuple[int, int, int], seconds: int = 2) -> Path:
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for i in range(seconds * 5):
            frame = av.VideoFrame.from_ndarray(np.full((120, 160, 3), colour, dtype=np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 5)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def probe(video: Path) -> tuple[float, int, int]:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return (container.duration or 0) / 1e6, stream.width, stream.height


def picture_at(video: Path, seconds: float) -> np.ndarray:
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if (frame.time or 0.0) >= seconds:
                return frame.to_ndarray(format="rgb24").astype(np.int16)
    raise AssertionError(f"no frame at {seconds} s")


def loudness(video: Path) -> float:
    with av.open(str(video)) as container:
        samples = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


# --- identity and sessions ----------------------------------------------------------------------


def test_identity_answers_carry_the_user_id_and_a_claim_token_opens_the_project(api: Api) -> None:
    assert api.identity["user_id"].startswith("anon_")
    assert api.session["user_id"] == api.identity["user_id"]
    assert api.session["task_id"] and api.session["session_id"]
    claim = api.post("/api/auth/claim-token", {"task_id": api.session["task_id"], "session_id": api.sid})
    assert claim["data"]["claim_token"].startswith("clm_") and claim["data"]["expires_in"] == 604800
    assert api.identity["token"] not in json.dumps(claim)
    wrong = api.post("/api/auth/claim-token", {"task_id": "task_other", "session_id": api.sid})
    assert wrong["code"] == 1002


# --- the agent -------------------------------------------------------------------------------------


def test_a_generation_builds_the_raw_video_then_adds_music_and_a_title_by_itself(api: Api) -> None:
    seen = [e["name"] for e in api.events("make a 12 second video of a city at night") if "name" in e]
    assert seen == [
        "generate_video_with_seedance",
        "generate_video_with_seedance",
        "edit_multitrack",
        "edit_multitrack",
        "edit_multitrack",
        "edit_multitrack",
    ], "each stage is a tool call and its result"
    draft = api.state()["draft"]
    assert list(tracks(draft)) == [0, 1, 7] and draft["d"] == 12_000
    assert tracks(draft)[1][0]["v"] == 35 and tracks(draft)[1][0]["n"].endswith("(free music)")
    assert api.state()["generated_media"]


def test_a_generation_uses_the_uploads_in_order_for_the_whole_length(api: Api, tmp_path: Path) -> None:
    api.upload(photo(tmp_path / "b.png", (200, 0, 0)), photo(tmp_path / "a.jpg", (0, 0, 200)))
    api.say("make a 20-second video from my photos")
    video = tracks(api.state()["draft"])[0]
    assert [s["n"] for s in video] == ["b", "a"]
    assert [(s["s"], s["d"]) for s in video] == [(0, 10_000), (10_000, 10_000)]


@pytest.mark.parametrize(
    ("prompt", "check"),
    [
        ("lower the music to 20%", lambda d: tracks(d)[1][0]["v"] == 20),
        ("make the music quieter", lambda d: tracks(d)[1][0]["v"] == 20),
        ("louder please", lambda d: tracks(d)[1][0]["v"] == 50),
        ("音量调到20%", lambda d: tracks(d)[1][0]["v"] == 20),
        ("音乐小一点", lambda d: tracks(d)[1][0]["v"] == 20),
        ("remove the title", lambda d: list(tracks(d)) == [0, 1]),
        ("删除音乐", lambda d: list(tracks(d)) == [0, 7]),
        ('change the title to "Summer Sale"', lambda d: tracks(d)[7][0]["n"] == "Summer Sale"),
        ("标题改成「春季特卖」", lambda d: tracks(d)[7][0]["n"] == "春季特卖"),
        ("use calm piano music", lambda d: tracks(d)[1][0]["n"] == "Calm Piano (free music)"),
        ("换成钢琴音乐", lambda d: tracks(d)[1][0]["n"] == "Calm Piano (free music)"),
        ("make it 20 seconds", lambda d: d["d"] == 20_000 and tracks(d)[1][0]["d"] == 20_000),
        ("改成30秒", lambda d: d["d"] == 30_000),
        ("make it vertical", lambda d: (d["m"]["w"], d["m"]["h"]) == (180, 320)),
        ("9:16 1080p please", lambda d: (d["m"]["w"], d["m"]["h"]) == (1080, 1920)),
        ("改成竖屏", lambda d: (d["m"]["w"], d["m"]["h"]) == (180, 320)),
        ("square", lambda d: (d["m"]["w"], d["m"]["h"]) == (180, 180)),
        ("1:1 720p", lambda d: (d["m"]["w"], d["m"]["h"]) == (720, 720)),
        ("横屏 4k", lambda d: (d["m"]["w"], d["m"]["h"]) == (3840, 2160)),
        ("16:9 720p", lambda d: (d["m"]["w"], d["m"]["h"]) == (1280, 720)),
    ],
)
def test_the_agent_understands_an_edit(api: Api, prompt: str, check: Any) -> None:
    api.say("make a 10 second video")
    api.say(prompt)
    state = api.state()
    assert check(state["draft"]), state["draft"]
    assert state["canvas_config"] == {"width": state["draft"]["m"]["w"], "height": state["draft"]["m"]["h"]}


def test_the_reply_follows_the_language_of_the_prompt_not_of_the_session(api: Api) -> None:
    api.say("make a 10 second video")
    chinese = api.say("把音乐音量调到20%")
    assert "20%" in chinese and "音乐" in chinese and "music" not in chinese.lower()
    english = api.say("remove the title")
    assert english.startswith("Removed the title.")


def test_a_request_it_does_not_understand_changes_nothing_and_says_what_it_can_do(api: Api) -> None:
    api.say("make a 10 second video")
    before = api.state()["draft"]
    assert "What would you like to change?" in api.say("what is the weather like?")
    assert api.state()["draft"] == before


def test_a_liar_claims_the_change_and_leaves_the_draft_alone(api: Api, sim: Simulator) -> None:
    api.say("make a 10 second video")
    before = api.state()["draft"]
    sim.configure(next_lie=True)
    assert api.say("lower the music to 20%").startswith("I've lowered the music to 20%.")
    assert api.state()["draft"] == before
    assert api.say("lower the music to 20%").startswith("I've lowered the music to 20%.")
    assert tracks(api.state()["draft"])[1][0]["v"] == 20, "one lie, then honest again"


def test_turns_are_charged_when_they_start_and_refused_when_credits_are_short(
    api: Api, sim: Simulator
) -> None:
    sim.configure(generation_cost=100, edit_cost=50)
    assert api.credits() == 100
    api.say("make a 10 second video")
    assert api.credits() == 0
    refused = api.http.post(
        "/run_sse",
        json={"session_id": api.sid, "new_message": {"parts": [{"text": "add the title 'x'"}]}},
        headers=api.headers,
    )
    assert refused.status_code == 403 and refused.json()["code"] == 2001
    sim.state.set_credits(60)
    api.say('add the title "x"')
    assert api.credits() == 10


def test_plans_do_not_touch_the_draft_they_plan_for() -> None:
    draft = {"t": [], "d": 0, "m": {"w": 320, "h": 180, "fps": 30}}
    plan = plan_turn(
        "make a 5 second square video",
        draft,
        [],
        session_language="en",
        generation_cost=100,
        edit_cost=50,
        generated_url="http://x/gen.mp4",
    )
    assert draft == {"t": [], "d": 0, "m": {"w": 320, "h": 180, "fps": 30}}
    assert [list(tracks(stage.draft)) for stage in plan.stages] == [[0], [0, 1], [0, 1, 7]], (
        "the raw video is committed before the music and the title"
    )
    assert plan.cost == 100 and plan.stages[-1].draft["m"]["w"] == plan.stages[-1].draft["m"]["h"] == 180


# --- the test-facing API ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_held_turn_waits_for_the_test_and_changes_nothing_until_released(
    api: Api, sim: Simulator
) -> None:
    with sim.hold("run_sse") as gate:
        async with anyio.create_task_group() as tg:
            tg.start_soon(anyio.to_thread.run_sync, api.say, "make a 10 second video")
            assert await gate.entered()
            assert api.state()["draft"]["t"] == []
            gate.release()
    assert list(tracks(api.state()["draft"])) == [0, 1, 7]


def test_faults_are_counted_and_reset_forgets_everything(sim: Simulator, api: Api) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        sim.faults.add("credits", "teapot")
    inject(sim, "credits", "502", times=2)
    assert [f.times for f in sim.faults.pending()] == [2]
    assert api.http.get("/api/credits/balance/simple", headers=api.headers).status_code == 502
    assert [f.times for f in sim.faults.pending()] == [1]
    assert len(sim.requests("credits")) == 1 and len(sim.requests()) > 1
    with pytest.raises(ValueError, match="unknown simulator settings"):
        sim.configure(agent_second=1)
    sim.reset()
    assert sim.faults.pending() == [] and sim.requests() == []
    assert api.get("/api/credits/balance/simple")["code"] == 1001, "tokens are forgotten too"


def test_admin_routes_still_drive_the_simulator_by_hand(sim: Simulator) -> None:
    with httpx.Client(base_url=sim.base_url) as http:
        assert http.post("/_sim/faults", json={"route": "credits", "kind": "503"}).status_code == 200
        assert http.post("/_sim/faults", json={"kind": "nope"}).status_code == 400
        assert http.post("/_sim/config", json={"agent_seconds": 0.1}).json()["agent_seconds"] == 0.1
        assert http.post("/_sim/register-user", json={"credits": 5}).json()["token"].startswith("nmv_reg_")
        assert "requests" in http.get("/_sim/log").json()
        assert http.post("/_sim/reset", json={}).json() == {"ok": True}


# --- the renderer ----------------------------------------------------------------------------------


def test_a_render_is_the_draft_photos_in_order_at_its_frame_and_length(
    api: Api, sim: Simulator, tmp_path: Path
) -> None:
    api.upload(photo(tmp_path / "red.png", (220, 20, 20)), clip(tmp_path / "green.mp4", (20, 200, 20)))
    api.say("make a 6-second vertical video")
    video = api.rendered(tmp_path / "out.mp4")
    assert probe(video)[1:] == (180, 320)
    assert abs(probe(video)[0] - 6) <= 0.5
    red, green = picture_at(video, 0.5).mean(axis=(0, 1)), picture_at(video, 4.0).mean(axis=(0, 1))
    assert red[0] > red[1] + 60, "the uploaded photo is shown first"
    assert green[1] > green[0] + 60, "then the uploaded clip, decoded"


def test_titles_are_drawn_over_the_picture_and_music_follows_its_volume(api: Api, tmp_path: Path) -> None:
    api.say("make a 4 second video")
    draft = api.state()["draft"]
    loud = api.rendered(tmp_path / "loud.mp4", draft, "r_loud")
    quiet_draft = json.loads(json.dumps(draft))
    tracks(quiet_draft)[1][0]["v"] = 10
    quiet_draft["t"] = [t for t in quiet_draft["t"] if t["tt"] != 7]
    quiet = api.rendered(tmp_path / "quiet.mp4", quiet_draft, "r_quiet")
    assert loudness(quiet) > 0.001, "music at 10% is quiet, not silent"
    assert loudness(loud) > 2.5 * loudness(quiet)
    with_title, without = picture_at(loud, 1.0), picture_at(quiet, 1.0)
    title = (slice(int(180 * 0.62), int(180 * 0.82)), slice(110, 210))  # the middle of the lower third
    assert np.abs(with_title[title] - without[title]).mean() > 20
    assert np.abs(with_title[:40] - without[:40]).mean() < 3, "only the title differs"


def test_a_held_render_stays_processing_and_cancel_stops_it(api: Api, sim: Simulator) -> None:
    api.say("make a 4 second video")
    with sim.hold("render") as gate:
        api.render(job="r_held")
        data = api.get("/api/render/proxy/lambda/r_held")["data"]
        assert gate.wait_entered() and data["status"] in ("pending", "processing") and data["progress"] < 100
        assert api.post("/api/render/proxy/lambda/r_held/cancel", {})["data"]["status"] == "cancelled"
    assert api.get("/api/render/proxy/lambda/r_held")["data"]["status"] == "cancelled"


def test_a_draft_that_cannot_be_rendered_fails_the_render_with_a_reason(api: Api) -> None:
    api.say("make a 4 second video")
    draft = api.state()["draft"]
    draft["m"]["w"] = 100_000
    api.render(draft, "r_bad")
    assert api.sim.state.renders["r_bad"].finished.wait(30)
    data = api.get("/api/render/proxy/lambda/r_bad")["data"]
    assert data["status"] == "failed" and "frame" in data["error"]


# --- contract variants ------------------------------------------------------------------------------


def raw_upload(api: Api, path: Path) -> dict[str, Any]:
    files = [("files", (path.name, path.read_bytes()))]
    answer = api.http.post(f"/api/upload-video/nemo_agent/me/{api.sid}", files=files, headers=api.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


DOCUMENTED = {"filename", "file_type", "cdn_url", "duration", "width", "height", "fps", "hash", "size"}
CAMEL = {"fileName", "fileType", "cdnUrl", "duration", "width", "height", "fps", "hash", "size"}
FILE_KEYS = {
    UploadShape.FULL: DOCUMENTED,
    UploadShape.TOP_LEVEL: DOCUMENTED,
    UploadShape.PARTIAL: {"filename", "cdn_url"},
    UploadShape.BARE: {"cdn_url"},
    UploadShape.CAMEL: CAMEL,
}


@pytest.mark.parametrize("envelope", list(Envelope))
@pytest.mark.parametrize("shape", list(UploadShape))
def test_each_upload_shape_answers_in_its_form_and_the_session_still_has_the_file(
    api: Api, sim: Simulator, tmp_path: Path, shape: UploadShape, envelope: Envelope
) -> None:
    sim.configure(upload_shape=shape.value, envelope=envelope.value)
    picture = photo(tmp_path / "beach.png", (10, 120, 200))
    body = raw_upload(api, picture)
    expected = (0, None) if envelope is Envelope.CODE else (None, True)
    assert (body.get("code"), body.get("success")) == expected
    data = body.get("data")
    if shape is UploadShape.TOP_LEVEL:
        assert "data" not in body
        files = body["files"]
    else:
        assert isinstance(data, dict) and "files" not in body
        files = data.get("files")
    if shape is UploadShape.NO_FILES:
        assert files is None and data == {}
    else:
        [entry] = files
        assert set(entry) == FILE_KEYS[shape]
        assert (entry.get("cdn_url") or entry.get("cdnUrl", "")).endswith("/beach.png")
    # Whatever the answer said, the backend has the file: the state lists it in full.
    [info] = api.state()["video_infos"]
    with Image.open(picture) as image:
        assert info["filename"] == "beach.png" and info["width"] == image.width


def poll_at(api: Api, sim: Simulator, job_id: str, share: float) -> dict[str, Any]:
    """The poll's answer when ``share`` of a (never-finishing) render is done."""
    job = sim.state.renders[job_id]
    job.seconds, job.work = 100.0, share
    job.started = time.time() - share * job.seconds
    return dict(api.get(f"/api/render/proxy/lambda/{job_id}")["data"])


@pytest.mark.parametrize("style", list(ProgressStyle))
def test_each_progress_style_is_what_the_polls_report(api: Api, sim: Simulator, style: ProgressStyle) -> None:
    api.say("make a 4 second video")
    sim.configure(progress_style=style.value)
    inject(sim, "render", "slow")  # no worker: the test sets how far the render is
    started = api.render(job="r_style")["data"]
    assert started.get("progress") == submitted(style)
    for share in (0.1, 0.2, 0.35, 0.55, 0.8, 0.95):
        data = poll_at(api, sim, "r_style", share)
        assert data["status"] == "processing"
        assert data.get("progress") == reported(style, share), share
    # A render submitted later in another style keeps its own: the style is fixed at submit.
    sim.configure(progress_style=ProgressStyle.NONE.value)
    assert poll_at(api, sim, "r_style", 0.5).get("progress") == reported(style, 0.5)


@pytest.mark.parametrize("style", [ProgressStyle.SMOOTH, ProgressStyle.FRACTION, ProgressStyle.NONE])
def test_a_completed_render_reports_its_styles_end(api: Api, sim: Simulator, style: ProgressStyle) -> None:
    api.say("make a 2 second video")
    sim.configure(progress_style=style.value)
    api.render(job="r_done")
    assert sim.state.renders["r_done"].finished.wait(60)
    data = api.get("/api/render/proxy/lambda/r_done")["data"]
    assert data["status"] == "completed" and data.get("progress") == completed(style)


@pytest.mark.parametrize("fmt", list(SseFormat))
def test_each_sse_format_streams_its_own_events(api: Api, sim: Simulator, fmt: SseFormat) -> None:
    sim.configure(sse_format=fmt.value, next_no_text=False)
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": api.sid}
    body["new_message"] = {"parts": [{"text": "make a 4 second video"}]}
    with api.http.stream("POST", "/run_sse", json=body, headers=api.headers) as response:
        lines = [line[5:].strip() for line in response.iter_lines() if line.startswith("data:")]
    events = [json.loads(line) for line in lines if line]
    if fmt is SseFormat.NATIVE:
        assert {"text", "tool_call", "tool_result"} <= {e["type"] for e in events}
    else:
        assert all("type" not in e and "parts" in e["content"] for e in events)
        assert any(e.get("partial") for e in events) and events[-1].get("turnComplete") is True
        assert any("functionCall" in p for e in events for p in e["content"]["parts"])


def test_a_setting_outside_its_choices_is_refused(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="progress_style must be one of"):
        sim.configure(progress_style="wobbly")
    with pytest.raises(ValueError, match="upload_shape must be one of"):
        SimConfig(upload_shape="xml")  # type: ignore[arg-type]
    with httpx.Client(base_url=sim.base_url) as http:
        assert http.post("/_sim/config", json={"envelope": "soap"}).status_code == 400
        assert http.post("/_sim/reset", json={"sse_format": "morse"}).status_code == 400
        assert http.post("/_sim/config", json={"upload_shape": "camel"}).json()["upload_shape"] == "camel"


def test_the_simulate_command_offers_every_variant() -> None:
    assert tuple(UploadShape) == cli.UPLOAD_SHAPES
    assert tuple(ProgressStyle) == cli.PROGRESS_STYLES


def test_the_variants_cover_every_value_of_every_axis_and_start_from_the_default() -> None:
    for axis, values in AXES.items():
        assert {getattr(v, axis) for v in SIM_VARIANTS} == set(values), axis
    assert SIM_VARIANTS[0].apply(SimConfig()) == SimConfig()
    assert len(ALL_VARIANTS) == math.prod(len(values) for values in AXES.values())
    # The parametrize helper keeps the test timings and switches only the contract.
    params = variant_params()
    assert [p.id for p in params] == [str(v) for v in SIM_VARIANTS]
    config = params[1].values[0]
    assert isinstance(config, SimConfig)
    assert config == SIM_VARIANTS[1].apply(fast_config()) != fast_config()
