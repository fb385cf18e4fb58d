"""The PostgreSQL project store: the SQLite store's rows and methods, one user's rows each, shared by
every instance; an agent turn's lease decides which instance reads it and who settles it."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import psycopg
import pytest
from psycopg_pool import ConnectionPool

from ai_video_music import projects
from ai_video_music.hosted import db, store_pg_work
from ai_video_music.hosted.store_pg import make_store_pool
from ai_video_music.hosted.store_pg_work import PgStore
from ai_video_music.records import TurnState
from ai_video_music.store import Cancel, Store

pytestmark = pytest.mark.postgres

USERS = ("usr_alice", "usr_bob")


async def _migrate(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        await db.migrate(conn)


@pytest.fixture
def store_url(database_url: str) -> str:
    anyio.run(_migrate, database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        for user in USERS:
            conn.execute("INSERT INTO users (id, lookup) VALUES (%s, %s)", (user, f"lookup-{user}"))
    return database_url


@pytest.fixture
def pools(store_url: str) -> Iterator[tuple[ConnectionPool, ConnectionPool]]:
    """Two instances' pools on one database."""
    first, second = make_store_pool(store_url, max_size=4), make_store_pool(store_url, max_size=4)
    first.open(wait=True)
    second.open(wait=True)
    try:
        yield first, second
    finally:
        first.close()
        second.close()


def _store(pool: ConnectionPool, user: str, tmp_path: Path) -> PgStore:
    return PgStore(pool, user, tmp_path / user)


def test_every_method_of_the_sqlite_store_has_its_postgresql_twin() -> None:
    public = {n for n, f in inspect.getmembers(Store, inspect.isfunction) if not n.startswith("_")}
    inherited = {n for n in public if getattr(PgStore, n) is getattr(Store, n)}
    assert not inherited, f"PgStore would run SQLite code for {sorted(inherited)}"


def test_one_user_through_two_instances_sees_one_project_list(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", "task_1", "Beach trip", "en")
    on_b.add_project("prj_2", "ses_2", None, "Birthday", "zh")
    on_a.put(current_project="prj_2")

    for store in (on_a, on_b):
        listed, total = store.recent_projects(10)
        assert ({p.id for p in listed}, total) == ({"prj_1", "prj_2"}, 2)
        assert store.get("current_project") == "prj_2"
        assert [p.id for p in store.find_projects("beach TRIP")] == ["prj_1"]
        assert [p.id for p in store.projects_starting("bir")] == ["prj_2"]
    assert on_b.name_taken("BEACH TRIP") and not on_b.name_taken("Beach trip", but="prj_1")


def test_two_users_see_and_touch_only_their_own_rows(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path
) -> None:
    alice, bob = _store(pools[0], "usr_alice", tmp_path), _store(pools[1], "usr_bob", tmp_path)
    alice.add_project("prj_a", "ses_a", None, "Secret launch", "en")
    alice.add_media("prj_a", [{"name": "a.jpg", "kind": "image", "url": "https://cdn.example/a.jpg"}], "url")
    alice.add_render("rnd_a", "prj_a", "ses_a", "mp4", "1080p", "fp")
    alice.update_render("rnd_a", status="downloaded", output_url="https://cdn.example/a.mp4")
    alice.begin_turn("gen_a", "prj_a", "ses_a", "make it pop", "make it pop", stale_after=90)
    alice.put(current_project="prj_a")
    # A name the user was told before a title renamed the project keeps finding it: per user.
    former = projects._former_key("妈妈生日 Moms bday")
    alice.put(**{former: "prj_a"})

    assert alice.get(former) == "prj_a" and bob.get(former) is None
    assert bob.recent_projects(10) == ([], 0)
    assert bob.project("prj_a") is None and bob.find_projects("Secret launch") == []
    assert not bob.name_taken("Secret launch")
    assert bob.media_page("prj_a", 10) == ([], 0)
    assert bob.render("rnd_a") is None and bob.renders_page(0, 10) == ([], 0)
    assert bob.recent_output_urls(10) == [] and bob.open_renders() == []
    assert bob.generation("gen_a") is None and bob.running_turns() == []
    assert bob.get("current_project") is None
    # Acting on another's row by its id changes nothing.
    bob.update_render("rnd_a", status="cancelled")
    bob.touch_project("prj_a", name="mine now")
    bob.forget_turn("gen_a")
    assert not bob.claim_render("rnd_a", 0)
    render = alice.render("rnd_a")
    assert render is not None and render.status == "downloaded" and render.project_name == "Secret launch"
    assert alice.generation("gen_a") is not None
    assert alice.media_page("prj_a", 10)[1] == 1


def _expire(url: str, gen_id: str) -> None:
    """The owner stopped renewing: its lease is in the past (no waiting in tests)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE generations SET lease_until = 0 WHERE id=%s", (gen_id,))


def test_a_held_lease_keeps_the_turn_with_its_instance(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    assert on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90) is None
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    busy = on_b.begin_turn("gen_2", "prj_1", "ses_1", "add a title", "add a title", stale_after=90)
    assert busy is not None and busy.id == "gen_1"
    assert on_b.interrupt_dead_turns(90) == []
    assert on_b.generation("gen_2") is None


def test_a_dead_instances_turn_is_settled_once_and_never_sent_again(
    pools: tuple[ConnectionPool, ConnectionPool],
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    on_a.update_generation("gen_1", sent_at=1.0)
    _expire(store_url, "gen_1")

    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    settled: list[list[str]] = []
    racers = [
        threading.Thread(target=lambda s=s: settled.append(s.interrupt_dead_turns(90))) for s in (on_a, on_b)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(settled) == [[], ["gen_1"]]  # exactly one instance settled it
    gen = on_b.generation("gen_1")
    assert gen is not None and gen.status is TurnState.INTERRUPTED
    # The user's next call is told it (from the backend's state), and the same words again are a
    # repeat that needs their yes: never re-sent on their own.
    assert [g.id for g in on_b.undelivered_turns("prj_1")] == ["gen_1"]
    on_b.update_generation("gen_1", delivered=1)
    told = on_b.told_turn("prj_1", "add music")
    assert told is not None and told.id == "gen_1"


def test_a_dead_instances_sent_turn_is_taken_over_by_one_instance_and_settled_once(
    pools: tuple[ConnectionPool, ConnectionPool],
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    on_a.update_generation("gen_1", sent_at=1.0, before_draft='{"draft": {}}')
    _expire(store_url, "gen_1")

    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    taken: list[list[str]] = []
    racers = [
        threading.Thread(target=lambda s=s: taken.append([g.id for g in s.take_over_turns(90)]))
        for s in (on_a, on_b)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(taken) == [[], ["gen_1"]]  # exactly one instance follows it
    gen = on_b.generation("gen_1")
    assert gen is not None and gen.status is TurnState.RUNNING and gen.owner == "instance-b"
    assert gen.before_draft == '{"draft": {}}'  # the timeline before, to compare with
    assert on_a.interrupt_dead_turns(90) == []  # its new lease holds: not settled blind
    # The first to record the outcome settles it; a late writer (the old reader, a second
    # follower) writes nothing and learns it.
    assert on_b.finish_turn("gen_1", status=TurnState.DONE, facts={"said": "done"})
    assert not on_a.finish_turn("gen_1", status=TurnState.FAILED, facts={"said": "late"})
    gen = on_b.generation("gen_1")
    assert gen is not None and gen.status is TurnState.DONE and gen.fact_map["said"] == "done"


def test_a_turn_never_sent_is_not_taken_over(
    pools: tuple[ConnectionPool, ConnectionPool],
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    _expire(store_url, "gen_1")  # died before sending it: there is nothing at NemoVideo to follow
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    assert on_b.take_over_turns(90) == []
    assert on_b.interrupt_dead_turns(90) == ["gen_1"]


def test_the_heartbeat_renews_only_the_owners_lease(
    pools: tuple[ConnectionPool, ConnectionPool],
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    _expire(store_url, "gen_1")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    on_b.update_generation("gen_1")  # not its turn: no renewal
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.update_generation("gen_1")  # its stream is still being read: renewed
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    assert on_b.interrupt_dead_turns(90) == []
    busy = on_b.begin_turn("gen_2", "prj_1", "ses_1", "add a title", "add a title", stale_after=90)
    assert busy is not None and busy.id == "gen_1"


def test_a_new_request_after_a_dead_lease_is_sent_once(
    pools: tuple[ConnectionPool, ConnectionPool],
    store_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    _expire(store_url, "gen_1")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    assert on_b.begin_turn("gen_2", "prj_1", "ses_1", "add a title", "add a title", stale_after=90) is None
    first = on_b.generation("gen_1")
    assert first is not None and first.status is TurnState.INTERRUPTED
    running = on_b.running_turn("prj_1")
    assert running is not None and running.id == "gen_2" and running.owner == "instance-b"
    # A second running turn in the project is refused by the database itself.
    with psycopg.connect(store_url) as conn, pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(
            "INSERT INTO generations (id, user_id, project_id, prompt, status, created_at, updated_at)"
            " VALUES ('gen_3', 'usr_alice', 'prj_1', 'x', 'running', 0, 0)"
        )


def test_a_render_is_followed_by_one_instance_until_its_claim_goes_stale(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_a, on_b = (_store(p, "usr_alice", tmp_path) for p in pools)
    on_a.add_project("prj_1", "ses_1", None, "Clip", "en")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-a")
    on_a.add_render("rnd_1", "prj_1", "ses_1", "mp4", "1080p", "fp")
    monkeypatch.setattr(store_pg_work, "instance", lambda: "instance-b")
    assert [r.id for r in on_b.open_renders()] == ["rnd_1"]
    assert not on_b.claim_render("rnd_1", 120)
    on_a.update_render("rnd_1", claimed_at=0.0)  # instance a stopped touching it long ago
    assert on_b.claim_render("rnd_1", 120)
    render = on_b.render("rnd_1")
    assert render is not None and render.claim == "instance-b"


def test_text_postgresql_cannot_hold_is_kept_like_sqlite_keeps_it(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path
) -> None:
    store = _store(pools[0], "usr_alice", tmp_path)
    store.add_project("prj_1", "ses_1", None, "nul\x00 and \ud83d cut", "en")
    project = store.project("prj_1")
    assert project is not None and "\x00" not in project.name and project.name.startswith("nul")


def test_an_unreachable_database_is_said_as_the_stores_error(tmp_path: Path) -> None:
    from ai_video_music.errors import LocalStateError

    pool = make_store_pool("postgresql://nobody@127.0.0.1:1/none")
    pool.timeout = 0.5
    pool.open(wait=False)
    try:
        with pytest.raises(LocalStateError) as raised:
            PgStore(pool, "usr_alice", tmp_path).recent_projects(5)
    finally:
        pool.close()
    assert raised.value.message_key == "state.database"
    assert "127.0.0.1" not in raised.value.render("en")


def test_a_finished_turns_record_reads_back_as_written(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path
) -> None:
    store = _store(pools[0], "usr_alice", tmp_path)
    store.add_project("prj_1", "ses_1", None, "Clip", "en")
    store.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90)
    store.update_generation(
        "gen_1", status=TurnState.DONE, timeline_changed=True, facts={"said": "Added."}, shared_with=[]
    )
    gen = store.generation("gen_1")
    assert gen is not None
    assert (gen.status, gen.timeline_changed, gen.fact_map) == (TurnState.DONE, True, {"said": "Added."})
    assert store.running_turn("prj_1") is None


def test_a_sessions_latest_request_and_what_it_cost_are_the_users_own(
    pools: tuple[ConnectionPool, ConnectionPool], tmp_path: Path
) -> None:
    alice, bob = _store(pools[0], "usr_alice", tmp_path), _store(pools[1], "usr_bob", tmp_path)
    alice.add_project("prj_a", "ses_a", None, "Clip", "en")
    bob.add_project("prj_b", "ses_b", None, "Clip", "en")
    # The same client id on both sides (two users' MCP clients may well name themselves alike).
    alice.begin_turn("gen_a1", "prj_a", "ses_a", "add music", "add music", stale_after=90, client="c1")
    alice.update_generation("gen_a1", sent_at=10.0, status=TurnState.DONE)
    alice.add_not_sent("gen_a2", "prj_a", "export 4k", "export 4k", "cost", client="c1", held=["export"])
    bob.begin_turn("gen_b1", "prj_b", "ses_b", "add a title", "add a title", stale_after=90, client="c1")
    bob.not_sent("gen_b1", "cost")

    latest = alice.latest_turn("c1")
    assert latest is not None and latest.id == "gen_a2"
    assert latest.status is TurnState.NOT_SENT and latest.held_back == frozenset({"export"})
    assert [g.id for g in alice.session_turns("c1")] == ["gen_a1"]  # not_sent turns cost nothing
    assert alice.has_turns("prj_a")

    bob_latest = bob.latest_turn("c1")
    assert bob_latest is not None and bob_latest.id == "gen_b1" and bob_latest.status is TurnState.NOT_SENT
    assert bob.latest_turn("c1", "prj_a") is None
    assert bob.session_turns("c1") == []
    assert not bob.has_turns("prj_b")  # only a request never sent
    # Marking another user's running turn as not sent changes nothing.
    alice.begin_turn("gen_a3", "prj_a", "ses_a", "trim", "trim", stale_after=90, client="c1")
    bob.not_sent("gen_a3", "cost")
    running = alice.running_turn("prj_a")
    assert running is not None and running.id == "gen_a3"


def test_a_cancel_keeps_the_request_it_answered_about_and_held_back_commands_update(
    pools: tuple[ConnectionPool, ConnectionPool], store_url: str, tmp_path: Path
) -> None:
    store = _store(pools[0], "usr_alice", tmp_path)
    store.add_project("prj_1", "ses_1", None, "Clip", "en")
    store.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90, held=["export"])
    store.update_generation("gen_1", held=["export", "share"])
    gen = store.generation("gen_1")
    assert gen is not None and gen.held_back == frozenset({"export", "share"})
    store.add_cancel(Cancel("cnl_1", "prj_1", "c1", [], None, True, False, 1.0, turn_id="gen_1"))
    with psycopg.connect(store_url) as conn:
        row = conn.execute("SELECT user_id, turn_id FROM cancels WHERE id='cnl_1'").fetchone()
    assert row == ("usr_alice", "gen_1")
    # The request was withdrawn while it ran (for its answer: nothing to offer again), for its user only.
    assert store.withdrawn("gen_1") and not store.withdrawn("gen_2")
    assert not _store(pools[0], "usr_bob", tmp_path).withdrawn("gen_1")
