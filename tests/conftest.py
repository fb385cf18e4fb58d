"""Shared fixtures: a real simulator on loopback, settings pointed at it, a client with a fake sleep.

One simulator serves the whole session; ``sim`` resets it (users, sessions, renders, faults, log)
to the test's ``sim_config`` before each test, so tests stay independent without starting ~170
servers.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import settings as hypothesis_settings
from mcp import Client
from mcp.client.session import ClientSession
from mcp.types import CallToolResult

from ai_video_music import jobs, transport
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.simulator import Fault, SimConfig, Simulator
from ai_video_music.tools import create_server

from .bytecode import read_shared, write_shared
from .hosted.postgres import SHARED_ENV, stop_shared_cluster
from .variants import SIM_VARIANTS, Variant

# With PYTHONDONTWRITEBYTECODE, the test modules as the main process rewrote them (bytecode.py).
read_shared()

# Property tests check behaviour, not speed: no per-example deadline on a busy CI machine.
# The default run draws the same examples every time (a failure reproduces, the suite's length
# does not vary); `pytest --hypothesis-profile=fuzz` explores: fresh examples, ten times as many
# for the tests that take the profile's count.
hypothesis_settings.register_profile("project", deadline=None, derandomize=True)
hypothesis_settings.register_profile("fuzz", deadline=None, max_examples=1000)
hypothesis_settings.load_profile("project")

# No real backoff or Retry-After waits in tests: a retry is re-sent at once (tests of the delays
# inject their own sleep and still see every delay).
transport.set_testing(True)

# The SDK's client checks each tool's output schema against the JSON Schema metaschema once per
# session (30 ms for `status`'s), then validates every result with the compiled validator. The
# suite opens some two thousand sessions on the same five schemas: check each schema once per
# process and share the compiled (immutable) validator. Every result is still validated.
_compiled: dict[str, Any] = {}
_compile = ClientSession._output_schema_validator


def _shared_validator(session: ClientSession, name: str, output_schema: dict[str, Any]) -> Any:
    key = json.dumps(output_schema, sort_keys=True)
    if key not in _compiled:
        _compiled[key] = _compile(session, name, output_schema)
    session._tool_output_validators[name] = _compiled[key]
    return _compiled[key]


ClientSession._output_schema_validator = _shared_validator  # type: ignore[method-assign]


def _share_default_tls(module: Any) -> None:
    """Every httpx client the tests open (the SDK's over HTTP, the simulator's callers: thousands)
    loaded certifi's CA bundle into a new TLS context, ~15 ms of CPU each; with the default
    arguments they now share one. Contexts asked for with other arguments are made as before."""
    make = module.create_ssl_context
    shared: list[Any] = []

    def create(verify: Any = True, cert: Any = None, trust_env: bool = True) -> Any:
        if verify is not True or cert is not None:
            return make(verify=verify, cert=cert, trust_env=trust_env)
        if not shared:
            shared.append(make(verify=verify, cert=cert, trust_env=trust_env))
        return shared[0]

    module.create_ssl_context = create


for _module in ("httpx._transports.default", "httpx2._transports.default"):
    with contextlib.suppress(ImportError):
        _share_default_tls(importlib.import_module(_module))


MEMORY_FS = Path("/dev/shm")
_BASETEMP_ENV = "NEMO_TEST_BASETEMP"  # the run's tmp_path folder in memory, removed at its end


@pytest.hookimpl(tryfirst=True)  # before pytest's tmp_path plugin reads --basetemp
def pytest_configure(config: pytest.Config) -> None:
    """The run's main process makes the folder it shares with its xdist workers (they inherit
    the variable): the hosted tests' one PostgreSQL is recorded there. Each test's tmp_path is in
    memory where the machine has a tmpfs: the thousands of stores the tests open and close each
    synced their files to disk (~3 ms each on the CI's disk), and no test is about the disk;
    ``--basetemp`` decides where given."""
    if not hasattr(config, "workerinput"):
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="nemo-tests-")
        if config.option.basetemp is None and MEMORY_FS.is_dir() and os.access(MEMORY_FS, os.W_OK):
            config.option.basetemp = os.environ[_BASETEMP_ENV] = tempfile.mkdtemp(
                prefix="nemo-tests-", dir=MEMORY_FS
            )


@pytest.hookimpl(tryfirst=True)  # before xdist starts its workers in its own sessionstart
def pytest_sessionstart(session: pytest.Session) -> None:
    """The main process compiles the test modules once for all of them (``bytecode.py``); here,
    not in pytest_configure, so that the cache plugin's folder (configured by then) keeps them from
    run to run."""
    if not hasattr(session.config, "workerinput"):
        write_shared(session.config, Path(os.environ[SHARED_ENV]))


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and _BASETEMP_ENV in os.environ:
        shutil.rmtree(os.environ.pop(_BASETEMP_ENV), ignore_errors=True)
    if not hasattr(config, "workerinput") and SHARED_ENV in os.environ:
        folder = Path(os.environ.pop(SHARED_ENV))
        try:
            stop_shared_cluster(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long tests (marked slow or browser) first: each xdist worker starts one while
    the quick ones fill the gaps, instead of one left running alone at the end."""
    items.sort(key=lambda item: not any(item.get_closest_marker(m) for m in ("slow", "browser")))
    if config.getoption("loadgroup", default=False):
        for item in items:
            _join_xdist_group(item)


def _join_xdist_group(item: pytest.Item) -> None:
    """What --dist=loadgroup does in each worker: the group's name after an '@' in the test's id,
    which the scheduler reads to send a group to one worker. xdist 3.8 writes it to
    ``Node._nodeid``, which pytest 9.2 no longer reads (the id is ``Node._id``): each worker then
    got a share of every group and launched its own Chromium for each browser module. Skipped
    when the id already has the suffix (an xdist that writes it where pytest reads it)."""
    names = sorted(
        {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
    )
    nodeid = item.nodeid
    if not names or nodeid.rfind("@") > nodeid.rfind("]"):
        return
    grouped = f"{nodeid}@{'_'.join(names)}"
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(grouped)
    else:
        item._nodeid = grouped


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["code", "success"])
def envelope(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def fast_config(**overrides: Any) -> SimConfig:
    """Short timings for tests; ``overrides`` replace any field."""
    fields: dict[str, Any] = {
        "agent_seconds": 0.02,
        "heartbeat_every": 0.02,
        "no_text_rate": 0.0,
        "render_seconds": 0.04,
        "seed": 7,
        # Real renders, kept small and at 2 frames a second so they take a fraction of a second;
        # a test that asks for "1080p" still gets a 1080p file.
        "canvas_width": 320,
        "canvas_height": 180,
        "render_fps": 2,
        "audio_rate": 8000,  # AAC at 8 kHz mono: a seventh of 44.1 kHz stereo's CPU, still real audio
        "audio_stereo": False,
        "keep_upload_bytes": 16 * 1024 * 1024,  # larger test uploads are described, not copied
        # The contract's 100 free credits, at a tenth of the real prices (10 a generated clip, 5 an
        # edit) so a flow of several turns fits; a module about cost is marked ``priced`` (the
        # real prices: PRICES), one about running out sets the balance.
        "generation_cost": 10,
        "edit_cost": 5,
    }
    return SimConfig(**(fields | overrides))


PRICES = {"generation_cost": 100, "edit_cost": 50}  # the contract's: a generated clip, an edit


@pytest.fixture
def sim_config(request: pytest.FixtureRequest) -> SimConfig:
    """Short timings; the contract's prices in a test or module marked ``priced``."""
    return fast_config(**PRICES) if request.node.get_closest_marker("priced") else fast_config()


def kinds(items: list[dict[str, Any]] | None) -> list[str]:
    """The kinds of a request's checked items (as_asked, not_as_asked), in order."""
    return [str(i["kind"]) for i in items or []]


def balance(sim: Simulator) -> float:
    """Every account's credits on the simulator, summed: what the requests really cost."""
    return float(sum(u.credits for u in sim.state.users.values()))


@pytest.fixture(params=SIM_VARIANTS, ids=str)
def sim_variant(request: pytest.FixtureRequest) -> Variant:
    """Each contract variant in turn (``variants.py``): a module that overrides ``sim_config``
    with ``sim_variant.apply(fast_config())`` runs its tests against every one."""
    variant: Variant = request.param
    return variant


# The simulator's gate that holds each kind of job's request (``sim.hold``).
_GATE_OF_JOB = {"agent": "run_sse", "render": "render", "upload": "upload"}


@pytest.fixture(scope="session")
def simulator() -> Iterator[Simulator]:
    """One simulator for the worker. A tool call waiting on a job whose request a test holds
    answers "working" as soon as it is held, as it would when its budget ran out (a held request
    never ends before the test lets go), instead of sleeping that budget away."""
    with Simulator() as server:
        jobs.set_held_for_testing(
            lambda job: job.kind in _GATE_OF_JOB and server.state.holding(_GATE_OF_JOB[job.kind])
        )
        try:
            yield server
        finally:
            jobs.set_held_for_testing(None)


@pytest.fixture
def sim(simulator: Simulator, sim_config: SimConfig) -> Iterator[Simulator]:
    simulator.reset(sim_config)
    yield simulator
    simulator.reset(sim_config)  # end held turns, cancel renders, before the next test starts


@pytest.fixture
def settings(sim: Simulator, tmp_path: Path) -> Settings:
    return Settings(
        api_base=sim.base_url,
        home=tmp_path / "home",
        output_dir=tmp_path / "out",
        poll_interval=0.02,
        tool_budget=10.0,  # roomy: a loaded CI machine renders slowly; tests of "working" set their own
        platform="claude_code",
        version=skill_version(),
    )


class FakeSleep:
    """Records what the client wanted to wait, without waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
async def rich(settings: Settings, sim: Simulator) -> AsyncIterator[Client]:
    """A registered user with room for many requests (2,000 credits), through a real MCP client."""
    token, _ = sim.state.register_user(credits=2000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        yield client


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def client(settings: Settings, fake_sleep: FakeSleep) -> AsyncIterator[NemoClient]:
    async with NemoClient(settings, sleep=fake_sleep) as c:
        yield c


def console_script() -> str:
    """The installed ``ai-video-music`` command, as a host starts it."""
    found = Path(sys.executable).with_name("ai-video-music")
    path = str(found) if found.exists() else shutil.which("ai-video-music")
    assert path, "the ai-video-music console script is not installed"
    return path


_zygote: list[tuple[subprocess.Popen[bytes], str]] = []  # this process's fork server, its socket


def server_command() -> list[str]:
    """A command that runs ``ai-video-music`` (append its arguments) through this process's fork
    server (``forkserver.py``): the same server, started in milliseconds of CPU instead of a
    second. For tests that start servers to kill, restart or race them; the console script as hosts
    start it is tested in test_stdio.py and test_cli.py."""
    script = str(Path(__file__).with_name("forkserver.py"))
    if not _zygote:
        folder = tempfile.mkdtemp(prefix="nemo-zygote-")
        sock = os.path.join(folder, "sock")
        log = open(os.path.join(folder, "log"), "wb")  # noqa: SIM115  (the zygote's, for a failure)
        proc = subprocess.Popen(
            [sys.executable, script, "serve", sock], stdin=subprocess.DEVNULL, stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + 60
        while not os.path.exists(sock):
            assert proc.poll() is None and time.monotonic() < deadline, Path(folder, "log").read_text()
            time.sleep(0.01)  # the zygote importing the server, once per worker
        atexit.register(_stop_zygote, proc, folder)
        _zygote.append((proc, sock))
    return [sys.executable, "-I", "-S", script, "launch", _zygote[0][1]]


def _stop_zygote(proc: subprocess.Popen[bytes], folder: str) -> None:
    proc.kill()
    proc.wait()
    shutil.rmtree(folder, ignore_errors=True)


def inject(sim: Simulator, route: str, kind: str, times: int = 1, retry_after: float | None = None) -> Fault:
    """Queue a fault for the next ``times`` requests to ``route``."""
    return sim.faults.add(route, kind, times, retry_after)


def requests_to(sim: Simulator, route: str) -> list[dict[str, Any]]:
    return sim.requests(route)


def photo_files(folder: Path, *names: str) -> list[str]:
    """Small JPEG-looking files of these names in ``folder``, to upload: their paths."""
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
        paths.append(str(path))
    return paths


@pytest.fixture
def image(tmp_path: Path) -> Path:
    """A small JPEG-looking file to upload."""
    return Path(photo_files(tmp_path, "beach.jpg")[0])


async def call(client: Client, tool: str, args: dict[str, Any] | None = None, **kw: Any) -> CallToolResult:
    """Call a tool through the MCP session, failing the test rather than hanging."""
    with anyio.fail_after(60):
        return await client.call_tool(tool, args or {}, **kw)


def text(result: CallToolResult) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


async def ask(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """A tool call that must succeed: its structured answer."""
    result = await call(client, tool, args or {})
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return dict(result.structured_content)


async def export_done(client: Client, tries: int = 40) -> dict[str, Any]:
    """Export, looking again until the file is saved (a render outlasts a call's budget)."""
    out = await ask(client, "export")
    for _ in range(tries):
        if out["status"] == "done":
            return out
        out = await ask(client, "export")
    raise AssertionError(f"the export never finished: {out}")


@pytest.fixture(scope="session")
def sample_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2-second 320x180 H.264/AAC clip with a title and music, made by the simulator's renderer."""
    from ai_video_music.simulator.renderer import render_sample

    return render_sample(tmp_path_factory.mktemp("media") / "sample.mp4")


CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def launched_chromium(args: list[str]) -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser); skipped without it,
    failed when CI is set."""
    missing = None if CHROMIUM.exists() else f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = missing or "playwright is not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


class _Chromium:
    """One Chromium kept open across the browser tests a worker runs in a row: a module's tests,
    and the modules of one xdist group (the hosted pages'), each test in a fresh context of its
    own. Closed before any other test runs (``pytest_runtest_teardown``): Playwright's sync API
    keeps an event loop running on this thread until it stops, which the async tests that
    follow on the same worker can't share. A launch and close costs ~0.9 s of CPU."""

    def __init__(self) -> None:
        self._stack: contextlib.ExitStack | None = None
        self._browser: Any = None

    def get(self) -> Any:
        if self._stack is None:
            with contextlib.ExitStack() as stack:
                self._browser = stack.enter_context(launched_chromium(CHROMIUM_ARGS))
                self._stack = stack.pop_all()
        return self._browser

    def close(self) -> None:
        stack, self._stack, self._browser = self._stack, None, None
        if stack is not None:
            stack.close()


_chromium = _Chromium()


@pytest.fixture
def browser() -> Any:
    """Chromium for a browser test (which opens its own pages in a fresh context). Each module
    using it is in an xdist group (the hosted pages' modules share one), so a run launches it
    once per group, and the groups still run side by side on different workers."""
    return _chromium.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the test's own fixtures are torn down (its pages closed): Chromium is closed unless
    the next test on this worker uses it too."""
    try:
        return (yield)
    finally:
        if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
            _chromium.close()
